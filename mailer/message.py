"""Parse raw inbound e-mail bytes into an `InboundMessage` with text, attachments and routing headers."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from mailer.mime_limits import MAX_ATTACHMENTS, MAX_HEADER_BYTES, refusal

__all__ = [
    "Attachment",
    "InboundMessage",
    "MalformedMessage",
    "parse_message",
    "message_key",
    "normalise_message_id",
    "safe_filename",
]

# Headers a delivering MTA writes with the envelope recipient; a BCC'd copy names our address only here.
_DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")


class MalformedMessage(ValueError):
    """Raised only when nothing usable can be read from the bytes."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundMessage:
    message_id: str | None
    from_address: str | None
    from_name: str | None
    to: list[str]
    cc: list[str]
    delivered_to: list[str]
    subject: str
    date: datetime | None
    in_reply_to: str | None
    references: list[str]
    text: str
    html: str | None
    attachments: list[Attachment]
    headers: dict[str, list[str]] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """First value of a header (case-insensitive), or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None


_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def normalise_message_id(value: str | None) -> str | None:
    """`<abc@host>` from any spelling (whitespace, missing brackets); None if empty."""
    if not value:
        return None
    value = str(value).strip()
    found = _MSGID.search(value)
    if found:
        return f"<{found.group(1)}>"
    token = value.split()[0] if value.split() else ""
    return f"<{token.strip('<>')}>" if token.strip("<>") else None


def _message_ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = [f"<{m}>" for m in _MSGID.findall(str(value))]
    if found:
        return found
    return [f"<{tok.strip('<>')}>" for tok in str(value).split() if tok.strip("<>")]


def _parse(raw: bytes) -> EmailMessage:
    if isinstance(raw, str):  # tolerate text callers; e-mail is bytes on the wire
        raw = raw.encode("utf-8", "surrogateescape")
    if not raw or not raw.strip():
        raise MalformedMessage("empty message")
    refused = refusal(raw)
    if refused:
        raise MalformedMessage(refused)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except RecursionError as exc:  # the limits above should make this unreachable; never let it escape
        raise MalformedMessage("the MIME structure nests too deeply to read") from exc
    return msg  # type: ignore[return-value]


def message_key(raw: bytes) -> str:
    """Idempotency key of a raw message: its normalised Message-ID, else `sha256:<hex>` of the bytes."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    try:  # only the header section: a 25 MB body need not be decoded to find one header
        end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES)
        msg = BytesParser(policy=policy.compat32).parsebytes(raw[:end.end()] if end else raw[:MAX_HEADER_BYTES],
                                                              headersonly=True)
        mid = normalise_message_id(_safe_str(msg.get("Message-ID")))
    except Exception:  # a header we cannot read still leaves the hash
        mid = None
    return mid if mid else "sha256:" + hashlib.sha256(raw).hexdigest()


def _safe_str(value: object) -> str | None:
    if value is None:
        return None
    try:
        return str(value)
    except Exception:
        return None


# Control characters (NUL breaks PostgreSQL text, CR/LF would smuggle headers) and undecodable bytes.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _lenient(raw_value: str) -> str:
    """A header written with raw 8-bit bytes (no encoded-words): UTF-8 if it is, else Windows-1252."""
    data = raw_value.encode("utf-8", "surrogateescape")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # a broken encoded-word among 8-bit text: keep the text as it is
        return text


def _raw_values(msg: Message, name: str) -> list[str]:
    return [str(v) for k, v in msg.raw_items() if k.lower() == name.lower()] if hasattr(msg, "raw_items") else []


def _values(msg: Message, name: str) -> list[str]:
    """Every value of a header as text; raw 8-bit headers decoded leniently instead of as U+FFFD."""
    raw = _raw_values(msg, name)
    if any(not v.isascii() for v in raw):
        return [_lenient(v) for v in raw]
    try:
        return [s for s in (_safe_str(v) for v in msg.get_all(name, [])) if s is not None]
    except Exception:  # policy.default raises on some broken headers; fall back to the raw value
        return raw


def _header(values_of: dict[str, list[str]], name: str) -> str | None:
    values = values_of.get(name.lower())
    return _one_line(values[0]) if values else None


def _addresses(values_of: dict[str, list[str]], *names: str) -> list[tuple[str, str]]:
    values: list[str] = []
    for name in names:
        values.extend(values_of.get(name.lower(), ()))
    result = []
    for display, addr in getaddresses(values):
        addr = addr.strip()
        if addr and "@" in addr and not _CONTROL.search(addr):
            result.append((_one_line(display), addr))
    return result


def _header_values(msg: Message) -> dict[str, list[str]]:
    """Every header's decoded values by lower-case name, each header parsed once (policy.default is costly)."""
    values_of: dict[str, list[str]] = {}
    for key in msg.keys():
        lower = key.lower()
        if lower not in values_of:
            values_of[lower] = _values(msg, key)
    return values_of


def _decode_part(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content.replace("\x00", "")
    except Exception:
        pass
    # Unknown or lying charset: decode the payload bytes ourselves, best effort.
    payload = part.get_payload(decode=True) or b""
    if not isinstance(payload, bytes):
        return str(payload)
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(candidate).replace("\x00", "")
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1").replace("\x00", "")


_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|p|div|tr|li)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Readable plain text from HTML: block tags become line breaks, entities decoded."""
    text = _DROP.sub("", markup)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = _BLOCK_TAGS.sub("\n", text)
    text = _TAGS.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_PATH_SEPARATORS = re.compile(r"[/\\]")
MAX_FILENAME = 200


def safe_filename(name: str | None) -> str | None:
    """A sender's attachment name fit to show or store: no directory part (`../`, `/`, `\\`), no control
    characters, at most 200 characters; None when nothing is left."""
    if not name:
        return None
    base = _PATH_SEPARATORS.split(str(name))[-1]
    base = _one_line(base).strip(" .")
    return base[-MAX_FILENAME:] or None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return safe_filename(name)


def _is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    if _filename(part) and part.get_content_maintype() != "multipart":
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def _walk(part: Message, texts: list[str], htmls: list[str], attachments: list[Attachment]) -> None:
    ctype = part.get_content_type()
    if part.get_content_maintype() == "multipart":
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    _walk(sub, texts, htmls, attachments)
            return
        # Boundary missing or wrong: recover the parts from the delimiter lines actually present.
        for sub in _recover_parts(str(payload)):
            _walk(sub, texts, htmls, attachments)
        return
    if ctype == "message/rfc822" or part.get_content_maintype() == "message" and part.is_multipart():
        # A forwarded or bounced message: keep it whole as an attachment, and look inside for documents.
        inner = part.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner_msg, Message):
            message_bytes = inner_msg.as_bytes(policy=policy.compat32) if hasattr(inner_msg, "as_bytes") else b""
            name = _filename(part) or "attached-message.eml"
            attachments.append(Attachment(name, "message/rfc822", message_bytes))
            nested_texts: list[str] = []
            nested_htmls: list[str] = []
            _walk(inner_msg, nested_texts, nested_htmls, attachments)
        return
    if _is_attachment(part):
        decoded: object = part.get_payload(decode=True)
        data = decoded if isinstance(decoded, bytes) else (_safe_str(part.get_payload()) or "").encode()
        name = _filename(part) or _default_name(ctype)
        content_type = ctype
        # Many mailers label PDFs application/octet-stream; the filename is the better witness.
        if ctype == "application/octet-stream" and name.lower().endswith(".pdf"):
            content_type = "application/pdf"
        elif ctype == "application/octet-stream" and name.lower().endswith(".xml"):
            content_type = "application/xml"
        attachments.append(Attachment(name, content_type, data))
        return
    if ctype == "text/html":
        htmls.append(_decode_part(part))
    elif part.get_content_maintype() == "text":
        texts.append(_decode_part(part))


_DELIMITER = re.compile(r"^--([^\s]{6,}?)(--)?\s*$", re.M)


def _recover_parts(body: str) -> list[Message]:
    """Parts of a multipart body whose declared boundary is missing or wrong; else the body as text."""
    found = _DELIMITER.search(body)
    if not found:
        return [_text_part(body)]
    boundary = re.escape(found.group(1))
    chunks = re.split(rf"^--{boundary}(?:--)?[ \t]*\r?$", body, flags=re.M)
    parts: list[Message] = []
    for chunk in chunks[1:]:
        chunk = chunk.lstrip("\r\n")
        if not chunk.strip():
            continue
        data = chunk.encode("utf-8", "surrogateescape")
        sub = BytesParser(policy=policy.default).parsebytes(data)
        if not sub.keys():  # no part headers: the chunk is plain text
            sub = _text_part(chunk)  # type: ignore[assignment]
        parts.append(sub)
    head = chunks[0]
    if head.strip() and not re.match(r"^\s*boundary=", head, re.I):
        parts.insert(0, _text_part(head))
    return parts or [_text_part(body)]


def _text_part(text: str) -> Message:
    part = EmailMessage()
    part.set_content(text)
    return part


def _default_name(ctype: str) -> str:
    ext = {"application/pdf": ".pdf", "text/xml": ".xml", "application/xml": ".xml"}.get(ctype, ".bin")
    return "attachment" + ext


def parse_message(raw: bytes) -> InboundMessage:
    """Read what can be read; raise `MalformedMessage` only when there is no header and no body at all."""
    msg = _parse(raw)
    values_of = _header_values(msg)
    headers = {name: [_one_line(v) for v in values] for name, values in values_of.items()}
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[Attachment] = []
    try:
        _walk(msg, texts, htmls, attachments)
    except Exception as exc:  # pathological MIME: fall back to the undecoded body
        body = msg.get_payload()
        texts = [body if isinstance(body, str) else ""]
        if not headers and not texts[0].strip():
            raise MalformedMessage(f"unreadable MIME structure: {exc}") from exc
    if not headers and not any(t.strip() for t in texts) and not attachments:
        raise MalformedMessage("no headers and no body")
    if len(attachments) > MAX_ATTACHMENTS:
        raise MalformedMessage(f"the message has {len(attachments)} attachments; a message with more than "
                               f"{MAX_ATTACHMENTS} is not read (ask the sender to send the invoices separately)")

    html_body = "\n".join(htmls) if htmls else None
    text = "\n".join(texts).strip("\n") if any(t.strip() for t in texts) else ""
    if not text and html_body:
        text = html_to_text(html_body)

    senders = _addresses(values_of, "From") or _addresses(values_of, "Sender")
    from_name, from_address = senders[0] if senders else (None, None)
    date = None
    date_header = _header(values_of, "Date")
    if date_header:
        try:
            date = parsedate_to_datetime(date_header)
        except (TypeError, ValueError, IndexError):
            date = None

    delivered: list[str] = []
    for _, addr in _addresses(values_of, *_DELIVERY_HEADERS):
        if addr.lower() not in (d.lower() for d in delivered):
            delivered.append(addr)

    return InboundMessage(
        message_id=normalise_message_id(_header(values_of, "Message-ID")),
        from_address=from_address,
        from_name=from_name or None,
        to=[a for _, a in _addresses(values_of, "To")],
        cc=[a for _, a in _addresses(values_of, "Cc")],
        delivered_to=delivered,
        subject=_header(values_of, "Subject") or "",
        date=date,
        in_reply_to=normalise_message_id(_header(values_of, "In-Reply-To")),
        references=_message_ids(_header(values_of, "References")),
        text=text,
        html=html_body,
        attachments=attachments,
        headers=headers,
    )
