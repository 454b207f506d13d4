"""Create businesses (tenants) and decide whose mail is theirs."""

from datetime import datetime

from sqlalchemy.orm import Session

from worker.db.models import Business
from worker.usecases.api_keys import hash_api_key, new_api_key, store_key


def create_business(
    session: Session,
    *,
    name: str,
    senders: list[str],
    from_address: str,
    from_name: str | None = None,
    iban: str | None = None,
    ingest_address: str | None = None,
    language: str = "nl",
    now: datetime,
) -> tuple[Business, str]:
    """Add a business and return it with its new API key."""
    if not senders and not ingest_address:
        raise ValueError("a business needs sender addresses (or @domains) or its own ingest address")
    api_key = new_api_key(session)
    business = Business(
        name=name,
        sender_allowlist=[s.strip().lower() for s in senders if s.strip()],
        ingest_address=ingest_address.lower() if ingest_address else None,
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
    store_key(session, business.id, api_key, label="initial", now=now)
    return business, api_key


def sender_is_allowed(business: Business, address: str | None) -> bool:
    """True when `address` is on the business's allow-list, as an address or as an @domain entry."""
    if not address:
        return False
    address = address.lower()
    domain = "@" + address.rpartition("@")[2]
    return any(entry == address or entry == domain for entry in business.sender_allowlist)
