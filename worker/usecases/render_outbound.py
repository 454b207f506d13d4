"""Render a letter the tick recorded, outside the tick, as decided; a letter that cannot be made goes to review."""

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterFacts, LetterSettings, ReminderDecision, compose_reminder
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage
from worker.domain.addressing import Addressing
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.domain.step import Step
from worker.logs import get_logger
from worker.usecases.letter_facts import letter_facts
from worker.usecases.outbox import templates_for
from worker.usecases.payment_plans import current_plan
from worker.usecases.timeline import record_event

log = get_logger(__name__)


def reminder_context(step: Step, invoices: Sequence[Invoice], letters: LetterSettings, *, deadline: date | None,
                     channel: str, copy: bool = False, key_suffix: str = "", payment_plan: bool = False,
                     facts: bool = True, ask_for_proof: bool = False) -> dict[str, Any]:
    """What the render needs besides the rows: the step as decided, which inputs the letter reads, where replies
    go and whether the letter file is a PDF (as the deciding process was configured)."""
    return {"step": asdict(step), "invoices": [i.id for i in invoices],
            "deadline": deadline.isoformat() if deadline else None, "channel": channel, "copy": copy,
            "key_suffix": key_suffix, "payment_plan": payment_plan, "facts": facts, "ask_for_proof": ask_for_proof,
            "service_address": letters.service_address, "pdf": letters.pdf is not None}


def settings_for(row: OutboundMessage, given: Callable[[], LetterSettings] | None) -> LetterSettings:
    """The renderer's letter settings: the caller's, else (a caller that names none, when no PDF is wanted)
    those the decision recorded; a PDF needs this process's converter."""
    context = row.render_context or {}
    if given is not None:
        return given()
    if context.get("pdf"):
        from worker.composition import current  # the process's own converter; use cases do not wire otherwise

        return current().letter_settings()
    return LetterSettings(context["service_address"], "", None)


def needs_render(row: OutboundMessage) -> bool:
    return row.render_context is not None and row.rendered_at is None


def render_row(session: Session, row: OutboundMessage, letters: LetterSettings, now: datetime) -> None:
    """Make the letter and store it in the row. It is made at the decision time (`created_at`) from the facts
    known then, to the addresses and under the Message-ID recorded then, so a second render makes the same letter."""
    context = row.render_context or {}
    business = session.get_one(Business, row.business_id)
    debtor = session.get_one(Debtor, row.debtor_id)
    by_id = {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(context["invoices"])))}
    invoices = [by_id[i] for i in context["invoices"]]
    decided_at = row.created_at
    facts = (letter_facts(session, invoices, until=decided_at, excluding=row.id) if context.get("facts", True)
             else LetterFacts())
    deadline = date.fromisoformat(context["deadline"]) if context.get("deadline") else None
    letter = compose_reminder(
        business=business, debtor=debtor, invoices=invoices, step=Step(**context["step"]), now=decided_at,
        letters=letters, deadline=deadline, templates=templates_for(session, business.id, debtor),
        key_suffix=context.get("key_suffix", ""), facts=facts, channel=context.get("channel", "email"),
        plan=current_plan(session, invoices[0]) if context.get("payment_plan") else None,
        copy=bool(context.get("copy")),
        recorded=ReminderDecision(Addressing(list(row.to_addresses), list(row.cc_addresses)), row.message_id, "", ""))
    row.raw, row.subject, row.rendered_at = letter.message.as_bytes(), letter.subject, now
    log.info("letter_rendered", business_id=row.business_id, outbound_id=row.id, message_id=row.message_id,
             step=row.step, size=len(row.raw))


def letter_failed(session: Session, row: OutboundMessage, error: Exception, now: datetime) -> None:
    """A broken template or converter stops this letter only: its open invoices go to review (told by the
    LETTER_FAILED event), and the row is cancelled with its (invoice, step) links and Message-ID freed, so the
    step is decided again once someone fixes the template and takes the invoice back from review."""
    invoice_ids = list(session.scalars(select(OutboundInvoice.invoice_id)
                                       .where(OutboundInvoice.outbound_message_id == row.id)))
    session.execute(delete(OutboundInvoice).where(OutboundInvoice.outbound_message_id == row.id))
    reason = f"letter could not be made: {error}"
    for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)):
        if invoice.status == InvoiceStatus.OPEN.value:
            invoice.status, invoice.status_reason = InvoiceStatus.REVIEW.value, reason
        record_event(session, EventKind.LETTER_FAILED, at=now, business_id=row.business_id, invoice_id=invoice.id,
                     debtor_id=row.debtor_id, step=row.step, error=str(error), outbound_message_id=row.id)
    row.status, row.next_attempt_at, row.last_error = "cancelled", None, reason
    row.message_id = f"<cancelled.{row.id}.{row.message_id.strip('<>')}>"[:300]
    log.warning("letter_failed", business_id=row.business_id, debtor_id=row.debtor_id, invoice_ids=invoice_ids,
                outbound_id=row.id, step=row.step, error=str(error))


def ensure_rendered(sessions: sessionmaker[Session], outbound_id: int,
                    letters: LetterSettings | Callable[[], LetterSettings] | None, now: datetime) -> bytes | None:
    """Render the row if the tick left it unrendered and return the message; None when the letter could not be
    made (the row is cancelled, its invoices in review)."""
    try:
        with sessions.begin() as session:
            row = session.get_one(OutboundMessage, outbound_id)
            if needs_render(row):
                given = (lambda: letters) if isinstance(letters, LetterSettings) else letters
                render_row(session, row, settings_for(row, given), now)
            return row.raw
    except Exception as exc:  # a broken template or converter must stop this letter, nothing else
        with sessions.begin() as session:
            letter_failed(session, session.get_one(OutboundMessage, outbound_id), exc, now)
        return None


def ensure_rendered_in(session: Session, row: OutboundMessage, letters: LetterSettings, now: datetime) -> bool:
    """The same inside the caller's transaction (the print queue's request). A render that fails has written
    nothing: `render_row` only reads until the letter is made."""
    if not needs_render(row):
        return True
    try:
        render_row(session, row, letters, now)
        return True
    except Exception as exc:  # see ensure_rendered
        letter_failed(session, row, exc, now)
        return False
