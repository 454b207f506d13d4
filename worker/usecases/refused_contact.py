"""A contact the SMTP server refused for good: mark it undeliverable, tell the business once, re-plan the step."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, OutboundInvoice, OutboundMessage
from worker.usecases.notice_texts import contact_unreachable
from worker.usecases.notices import notify_business

REROUTED = "rerouted"  # the outbox status of a message that reached nobody and whose step is taken again


def refused_contact(session: Session, row: OutboundMessage, refused: list[str]) -> Debtor | None:
    """The row's debtor when its contact address is among `refused` (and not already its general address)."""
    if row.debtor_id is None:
        return None
    debtor = session.get_one(Debtor, row.debtor_id)
    refused_lower = {r.lower() for r in refused}
    if debtor.contact_email.lower() not in refused_lower:
        return None
    return debtor


def mark_unreachable(session: Session, row: OutboundMessage, debtor: Debtor, now: datetime,
                     letters: Callable[[], LetterSettings] | None) -> None:
    """From now on the general address (or paper when there is none); the business hears it once."""
    debtor.contact_undeliverable = True
    if letters is None:
        return
    business = session.get_one(Business, row.business_id)
    notice = contact_unreachable(business.language, debtor.id, debtor.name or debtor.contact_email,
                                 debtor.contact_email, "bounce")
    # Not tied to the debtor: a notice to the business must not count as a message to the debtor (minimum gap).
    notify_business(session, business, notice, now=now, letters=letters(), invoice_id=row.invoice_id)


def release_step(session: Session, row: OutboundMessage) -> None:
    """Let the next tick record this step again, addressed anew: the links keep which invoices the refused
    message covered, under a step name the ladder does not know (its raw bytes keep the id it was sent with)."""
    row.status = REROUTED
    # The re-planned letter takes the step's deterministic Message-ID; this one reached nobody (no copy of it
    # exists: the copy to self is only sent with a real recipient), so its row keeps a marked id.
    local, _, domain = row.message_id.strip("<>").rpartition("@")
    row.message_id = f"<{local}.refused{row.id}@{domain}>"
    for link in session.scalars(select(OutboundInvoice).where(OutboundInvoice.outbound_message_id == row.id)):
        link.step = f"{link.step}~refused{row.id}"[:60]
