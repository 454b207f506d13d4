"""Record what the tick decided: hand-offs, reminders (outbox + timeline) and thank-you notes, once each; the
letters themselves are rendered later, outside the tick (render_outbound)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings, decide_reminder
from worker.db.models import Business, Debtor, Invoice
from worker.domain.events import EventKind
from worker.domain.grouping import MessageGroup
from worker.domain.status import InvoiceStatus
from worker.domain.step import Step
from worker.logs import get_logger
from worker.usecases.letter_facts import letter_facts
from worker.usecases.notice_texts import general_address_missing, pdf_unavailable
from worker.usecases.notices import notify_business
from worker.usecases.outbox import record_decision
from worker.usecases.render_outbound import reminder_context
from worker.usecases.tick_report import TickReport
from worker.usecases.timeline import record_event

log = get_logger(__name__)


def _locked_open_invoices(session: Session, group: MessageGroup) -> list[Invoice] | None:
    """Row locks on PostgreSQL so two ticks never record one debtor's group at once; the unique
    (invoice, step) link is the backstop, and the only guard on SQLite. None: someone else has them."""
    invoices = list(session.scalars(select(Invoice).where(Invoice.id.in_(group.invoice_ids))
                                    .order_by(Invoice.id).with_for_update(skip_locked=True)))
    if len(invoices) != len(group.invoice_ids):
        return None
    return [i for i in invoices if i.status == InvoiceStatus.OPEN.value] or None


def hand_off(sessions: sessionmaker[Session], group: MessageGroup, now: datetime, report: TickReport) -> None:
    with sessions.begin() as session:
        for invoice in _locked_open_invoices(session, group) or []:
            invoice.status, invoice.status_reason = InvoiceStatus.HANDED_OFF.value, "every reminder went unanswered"
            record_event(session, EventKind.HANDED_OFF, at=now, business_id=invoice.business_id,
                         invoice_id=invoice.id, debtor_id=invoice.debtor_id, step=group.step.name)
            report.handed_off.append(invoice.id)
            log.info("invoice_handed_off", business_id=invoice.business_id, debtor_id=invoice.debtor_id,
                     invoice_id=invoice.id, step=group.step.name)


def record_group(sessions: sessionmaker[Session], business_id: int, group: MessageGroup, now: datetime,
            letters: LetterSettings, report: TickReport) -> None:
    """Record the decision: the outbox row (addressed, named, not rendered: see render_outbound) and the events."""
    step = group.step
    with sessions.begin() as session:
        invoices = _locked_open_invoices(session, group)
        if invoices is None:
            return
        business = session.get_one(Business, business_id)
        debtor = session.get_one(Debtor, group.debtor_id)
        facts = letter_facts(session, invoices)
        decision = decide_reminder(business=business, debtor=debtor, invoices=invoices, step=step, now=now,
                                   letters=letters, deadline=group.deadline, facts=facts)
        # A debtor who is rarely online gets paper: the business prints and posts it from the print queue.
        outbound = record_decision(
            session, business_id=business_id, debtor_id=debtor.id, invoices=invoices, step=step.name,
            decision=decision, now=now, status="to_print" if group.channel == "letter" else "pending",
            render_context=reminder_context(step, invoices, letters, deadline=group.deadline, channel=group.channel,
                                            payment_plan=True, ask_for_proof=group.ask_for_proof))
        addressing = decision.addressing
        missing = general_address_missing(business.language, debtor.id, debtor.name or debtor.contact_email,
                                          step.name) if addressing.general_missing else None
        for invoice in invoices:
            record_event(session, EventKind.REMINDER_RECORDED, at=now, business_id=business_id,
                         invoice_id=invoice.id, debtor_id=debtor.id, step=step.name, outbound_message_id=outbound.id,
                         to=addressing.to, cc=addressing.cc, invoices=[i.number for i in invoices],
                         channel=group.channel, language=decision.language, template=decision.template,
                         deadline=group.deadline.isoformat() if group.deadline else None)
            if missing is not None:
                record_event(session, EventKind.GENERAL_ADDRESS_MISSING, at=now, business_id=business_id,
                             invoice_id=invoice.id, debtor_id=debtor.id, step=step.name,
                             message=f"{missing.message} {missing.action} ({missing.api})")
        if missing is not None:
            notify_business(session, business, missing, now=now, letters=letters, invoice_id=invoices[0].id,
                            debtor_id=debtor.id)
        if letters.pdf_missing:  # told once per business (the notice's Message-ID is deterministic)
            notify_business(session, business, pdf_unavailable(business.language), now=now, letters=letters)
        session.flush()  # the unique (invoice, step) link raises here when another tick was first
        if outbound.status == "pending":
            report.recorded.append(outbound.id)
        log.info("reminder_recorded", business_id=business_id, debtor_id=debtor.id,
                 invoice_ids=[i.id for i in invoices], step=step.name, channel=group.channel,
                 outbound_message_id=outbound.id, message_id=outbound.message_id, status=outbound.status)
        if group.channel == "letter" and step.statutory_term and not debtor.offline:
            _email_copy(session, business, debtor, invoices, group, now, letters, report)


def _email_copy(session: Session, business: Business, debtor: Debtor, invoices: list[Invoice], group: MessageGroup,
                now: datetime, letters: LetterSettings, report: TickReport) -> None:
    """The consumer reads the posted 14-day letter's content by e-mail too, as a copy: the term still counts
    from the letter's delivery, so the copy can only give more time, never less."""
    step = group.step
    decision = decide_reminder(business=business, debtor=debtor, invoices=invoices, step=step, now=now,
                               letters=letters, deadline=group.deadline, key_suffix=".copy",
                               facts=letter_facts(session, invoices))
    row = record_decision(session, business_id=business.id, debtor_id=debtor.id, invoices=invoices,
                          step=f"{step.name}.email_copy", decision=decision, now=now,
                          render_context=reminder_context(step, invoices, letters, deadline=group.deadline,
                                                          channel="letter", copy=True, key_suffix=".copy"))
    session.flush()
    report.recorded.append(row.id)


THANK_YOU = Step("thank_you", 0, "thank_you")


def record_thank_you(session: Session, business: Business, invoice: Invoice, now: datetime,
                     letters: LetterSettings, report: TickReport) -> None:
    """Thank the customer for paying this invoice on time (the tick chose it), once."""
    debtor = session.get_one(Debtor, invoice.debtor_id)
    decision = decide_reminder(business=business, debtor=debtor, invoices=[invoice], step=THANK_YOU, now=now,
                               letters=letters)
    row = record_decision(session, business_id=business.id, debtor_id=debtor.id, invoices=[invoice],
                          step=THANK_YOU.name, decision=decision, now=now,
                          render_context=reminder_context(THANK_YOU, [invoice], letters, deadline=None, channel="email",
                                                          facts=False))
    record_event(session, EventKind.THANK_YOU_RECORDED, at=now, business_id=business.id,
                 invoice_id=invoice.id, debtor_id=debtor.id, outbound_message_id=row.id)
    report.recorded.append(row.id)
    log.info("thank_you_recorded", business_id=business.id, debtor_id=debtor.id, invoice_id=invoice.id,
             outbound_message_id=row.id, message_id=row.message_id)
