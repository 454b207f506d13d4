"""Read from the timeline what a letter needs beyond the rows: the dossier, promises, the 14-day term, payments."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from letter_templates.context import Contact
from worker.adapters.letters import LetterFacts
from worker.db.models import Invoice, TimelineEvent
from worker.domain.events import EventKind

_DOSSIER = (EventKind.INVOICE_RECEIVED, EventKind.REMINDER_RECORDED, EventKind.REPLY_RECEIVED,
            EventKind.PROMISE_TO_PAY_RECORDED, EventKind.PAYMENT_RECORDED)
# Our letters that count as "the last letter" a promise may follow (not thanks, copies or notices).
_LADDER_KINDS = frozenset({EventKind.REMINDER_RECORDED.value})


def letter_facts(session: Session, invoices: Sequence[Invoice], *, until: datetime | None = None,
                 excluding: int | None = None) -> LetterFacts:
    """The facts about `invoices` the letter states, oldest first; one dossier line per letter, not per invoice.

    A letter rendered after its decision reads the facts as they were then: nothing after `until`, and not the
    record of the letter itself (outbox row `excluding`)."""
    by_id = {i.id: i for i in invoices}
    query = select(TimelineEvent).where(
        TimelineEvent.invoice_id.in_(list(by_id)), TimelineEvent.kind.in_([k.value for k in _DOSSIER]))
    if until is not None:
        query = query.where(TimelineEvent.at <= until)
    if excluding is not None:
        query = query.where(TimelineEvent.outbound_message_id.is_distinct_from(excluding))
    events = session.scalars(query.order_by(TimelineEvent.at, TimelineEvent.id)).all()
    history: list[Contact] = []
    seen_letters: set[int] = set()
    promised = promised_at = last_letter = term_last_day = paid_on = None
    promises = 0
    for event in events:
        on, data = event.at.date(), event.data or {}
        if event.kind == EventKind.INVOICE_RECEIVED.value:
            invoice = by_id[event.invoice_id]  # type: ignore[index]
            history.append(Contact(invoice.issue_date or on, "invoice_sent", detail=invoice.number))
        elif event.kind in _LADDER_KINDS:
            if event.outbound_message_id in seen_letters:
                continue
            seen_letters.add(event.outbound_message_id or 0)
            channel = data.get("channel") or "email"
            history.append(Contact(on, f"step:{data.get('step')}", channel,
                                   who=", ".join(data.get("to") or []) or None, detail=channel))
            last_letter = on
            if data.get("step") == "fourteen_day_letter" and data.get("deadline"):
                term_last_day = date.fromisoformat(data["deadline"])
        elif event.kind == EventKind.REPLY_RECEIVED.value:
            history.append(Contact(on, "reply", who=data.get("sender")))
        elif event.kind == EventKind.PROMISE_TO_PAY_RECORDED.value and data.get("promised_date"):
            promised, promised_at, promises = date.fromisoformat(data["promised_date"]), on, promises + 1
            history.append(Contact(on, "promise", detail=promised))  # type: ignore[arg-type]
        elif event.kind == EventKind.PAYMENT_RECORDED.value:
            paid_on = date.fromisoformat(data["paid_on"]) if data.get("paid_on") else on
            history.append(Contact(paid_on, "payment", detail=Decimal(data.get("amount") or "0")))  # type: ignore[arg-type]
    return LetterFacts(history=tuple(history), promised=promised, promised_at=promised_at, promises=promises,
                       last_letter_on=last_letter, term_last_day=term_last_day, paid_on=paid_on)
