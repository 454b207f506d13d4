"""Who a message that cannot be parsed was for: read only its header section, bounded, never its MIME body."""

from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailer.mime_limits import MAX_HEADER_BYTES
from worker.db.models import Business

_RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "to", "cc")


@dataclass(frozen=True)
class PlainHeaders:
    from_address: str | None
    subject: str | None
    recipients: list[str]


def plain_headers(raw: bytes) -> PlainHeaders:
    """From, Subject and recipients as compat32 reads them from the first 256 KB: no token trees, no recursion."""
    end = raw.find(b"\n\n", 0, MAX_HEADER_BYTES)
    crlf = raw.find(b"\r\n\r\n", 0, MAX_HEADER_BYTES)
    cut = min(i for i in (end, crlf, MAX_HEADER_BYTES) if i >= 0)
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw[:cut])
    recipients = [address.lower() for name in _RECIPIENT_HEADERS
                  for _, address in getaddresses([str(v) for v in headers.get_all(name, [])]) if "@" in address]
    senders = getaddresses([str(v) for v in headers.get_all("from", [])])
    subject = headers.get("subject")
    return PlainHeaders((senders[0][1] or None) if senders else None,
                        str(subject)[:998] if subject is not None else None, recipients[:100])


def ingest_address_owner(session: Session, raw: bytes) -> int | None:
    """The one business whose secret ingest address the message was delivered to (the proof that it is theirs),
    so a message too broken to parse still lands in that business's review queue; None otherwise."""
    recipients = plain_headers(raw).recipients
    if not recipients:
        return None
    found = list(session.scalars(select(Business.id).where(func.lower(Business.ingest_address).in_(recipients))))
    return found[0] if len(found) == 1 else None
