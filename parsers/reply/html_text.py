"""Plain text of an HTML reply body, with the quoted-history containers clients mark in HTML left out."""

from __future__ import annotations

import html
import re

# Containers Gmail, Apple Mail, Outlook and Thunderbird wrap quoted history in.
_QUOTE_START = re.compile(
    r"<(div|blockquote)\b[^>]*(class=\"[^\"]*(gmail_quote|gmail_extra|yahoo_quoted|moz-cite-prefix)[^\"]*\"|"
    r"type=\"cite\"|id=\"(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)\")[^>]*>",
    re.I,
)
_BLOCK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|p|div|tr|li|hr)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Readable text of the part of an HTML body before any quoted-history container."""
    cut = _QUOTE_START.search(markup)
    if cut:
        markup = markup[:cut.start()]
    text = _DROP.sub("", markup)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
