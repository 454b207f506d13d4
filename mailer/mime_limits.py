"""Refuse hostile raw mail before the stdlib parser sees it: size, MIME depth, part count and header bombs."""

from __future__ import annotations

import re

__all__ = ["MAX_MESSAGE_BYTES", "MAX_MIME_DEPTH", "MAX_PARTS", "MAX_HEADER_BYTES", "MAX_ENCODED_WORDS",
           "MAX_ATTACHMENTS", "refusal"]

# Most providers refuse more than 25 MB on the wire; an invoice e-mail is far smaller.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
# The stdlib parser and `walk()` recurse per nesting level (RecursionError near 1,000); real mail nests < 10.
MAX_MIME_DEPTH = 30
MAX_PARTS = 500
# Attachments that one mail may carry before it is refused whole (200 junk PDFs would give 200 notices).
MAX_ATTACHMENTS = 50
# policy.default builds a token tree per header word: 2 MB of encoded-words took the worker to 7.9 GB.
MAX_HEADER_BYTES = 256 * 1024
MAX_ENCODED_WORDS = 2000

_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.I)
_MESSAGE_TYPE = re.compile(rb"^content-type:[ \t]*message/(?:rfc822|global)\b", re.I | re.M)
_ENCODED_WORD = re.compile(rb"=\?[^?\s]{1,75}\?[bBqQ]\?")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _header_bytes(raw: bytes) -> int:
    end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES + 4)
    return end.start() if end else min(len(raw), MAX_HEADER_BYTES + 1)


def _count_at_most(pattern: re.Pattern[bytes], raw: bytes, limit: int) -> int:
    """Occurrences of `pattern`, counting no further than `limit + 1` (enough to say "too many")."""
    count = 0
    for _ in pattern.finditer(raw):
        count += 1
        if count > limit:
            break
    return count


def _structure(raw: bytes) -> tuple[int, int]:
    """(deepest multipart nesting, number of parts), read from boundary lines without recursion.

    A boundary declared anywhere opens a level; its delimiter line `--B` starts a part at that level and
    closes the deeper ones, `--B--` closes it. Stops counting once past a limit.
    """
    open_levels: list[bytes] = []
    depth = parts = 0
    for line in raw.splitlines():
        if line.startswith(b"--") and open_levels:
            token = line[2:].rstrip()
            closing = token.endswith(b"--") and token[:-2] in open_levels
            name = token[:-2] if closing else token
            if name in open_levels:
                index = len(open_levels) - 1 - open_levels[::-1].index(name)
                del open_levels[index if closing else index + 1:]
                parts += 0 if closing else 1
                if parts > MAX_PARTS:
                    break
                continue
        if b"oundary" in line or b"OUNDARY" in line:
            declared = _BOUNDARY.search(line)
            if declared:
                open_levels.append(declared.group(1) or declared.group(2))
                depth = max(depth, len(open_levels))
                if depth > MAX_MIME_DEPTH:
                    break
    return depth, parts


def refusal(raw: bytes) -> str | None:
    """Why these bytes are refused before parsing (one clerk-readable sentence), or None when they may be parsed."""
    if len(raw) > MAX_MESSAGE_BYTES:
        return (f"the message is {_mb(len(raw))}; the limit is {MAX_MESSAGE_BYTES // 1024 // 1024} MB "
                "(ask the sender for a smaller e-mail or a download link)")
    words = _count_at_most(_ENCODED_WORD, raw, MAX_ENCODED_WORDS)
    if words > MAX_ENCODED_WORDS:
        return f"the message has more than {MAX_ENCODED_WORDS} encoded words (=?…?=) in its headers; it is not read"
    header = _header_bytes(raw)
    if header > MAX_HEADER_BYTES:
        return f"the message header is over {MAX_HEADER_BYTES // 1024} KB; it is not read"
    depth, parts = _structure(raw)
    messages = _count_at_most(_MESSAGE_TYPE, raw, MAX_MIME_DEPTH)
    if depth > MAX_MIME_DEPTH or messages > MAX_MIME_DEPTH:
        return f"the message nests MIME parts more than {MAX_MIME_DEPTH} levels deep; it is not read"
    if parts > MAX_PARTS:
        return f"the message has more than {MAX_PARTS} MIME parts; it is not read"
    return None
