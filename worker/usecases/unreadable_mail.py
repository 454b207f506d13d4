"""What a message too broken to parse still tells, read without the MIME parser: whose it is, from whom, which files."""

import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailer.mime_limits import MAX_HEADER_BYTES
from worker.db.models import Business

_RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "to", "cc")
_FILENAME = re.compile(rb'(?:file)?name\*?=\s*"?([^"\r\n;]{1,200})', re.I)
# Names listed in the notice about one unreadable mail; the rest are counted in its reason.
MAX_NAMES = 250


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


def attachment_names(raw: bytes) -> list[str]:
    """The distinct file names the message's part headers declare, at most MAX_NAMES, by a bounded scan."""
    names: list[str] = []
    for match in _FILENAME.finditer(raw):
        name = match.group(1).decode("utf-8", "replace").strip()
        if name and name not in names:
            names.append(name)
            if len(names) >= MAX_NAMES:
                break
    return names
