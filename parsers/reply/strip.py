"""`strip_reply`: the text a person wrote in this message, without quoted history, signature or client footer."""

from __future__ import annotations

import re

from parsers.reply.footers import is_banner, is_client_footer, is_signature_delimiter
from parsers.reply.html_text import html_to_text
from parsers.reply.quote_markers import (
    attribution_at,
    bare_attribution,
    header_block_at,
    header_label,
    is_separator,
)


def _quote_start(lines: list[str], start: int) -> tuple[int, int] | None:
    """(index, kind-length) of the first quoted-history marker at or after `start`; None when there is none."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.lstrip().startswith(">") or is_separator(line) or header_block_at(lines, index):
            return index, 1
        span = attribution_at(lines, index)
        if span:
            return index, span
    return None


def _is_quoted(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (not line.strip() or line.lstrip().startswith(">") or is_separator(line)
            or header_label(line) is not None or attribution_at(lines, index) > 0)


def _own_text(lines: list[str]) -> list[str]:
    """Lines up to the first quote marker; for a bottom-posted reply (quote first), the text after the quote."""
    found = _quote_start(lines, 0)
    if found is None:
        return lines
    index, span = found
    if lines[index].lstrip().startswith(">"):
        above = index
        while above > 0 and not lines[above - 1].strip():
            above -= 1
        if above > 0 and bare_attribution(lines[above - 1]):
            index = above - 1
    if any(line.strip() for line in lines[:index]):
        return lines[:index]
    # Nothing above the quote: the person answered below it (bottom posting), so skip the quoted block.
    cursor = index + span
    while cursor < len(lines) and _is_quoted(lines, cursor):
        cursor += max(1, attribution_at(lines, cursor))
    rest = lines[cursor:]
    if not any(line.strip() for line in rest):
        return []
    return _own_text(rest)


def _without_footer(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if is_signature_delimiter(line) or is_client_footer(line):
            return lines[:index]
    return lines


def _without_banners(lines: list[str]) -> list[str]:
    """Drop the paragraphs a mail gateway inserted ("This email originated from outside the organization")."""
    kept: list[str] = []
    paragraph: list[str] = []
    for line in lines + [""]:
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph and not is_banner(" ".join(paragraph)):
            kept.extend(paragraph)
        paragraph = []
        kept.append(line)
    return kept[:-1]


def strip_reply(text: str, html: str | None = None) -> str:
    """The new text of a human reply: greetings and sign-offs kept; quotes, attributions, `--` signatures and
    client footers removed. `html` is used when the plain text part is empty."""
    if not (text or "").strip() and html:
        text = html_to_text(html)
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own = _without_footer(_own_text(_without_banners(lines)))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in own)).strip()
