"""Answer a debtor's request for a copy of the invoice: the invoice_copy letter with the original attached."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.message import Attachment, MalformedMessage, parse_message
from worker.adapters.letters import LetterSettings, compose_reminder
from worker.db.models import Business, Debtor, InboundMessage, Invoice, OutboundInvoice, OutboundMessage
from worker.domain.events import EventKind
from worker.domain.step import Step
from worker.usecases.outbox import record_outbound, templates_for
from worker.usecases.timeline import record_event

COPY = Step("invoice_copy", 0, "invoice_copy")
_INVOICE_FILES = ("application/pdf", "application/xml", "text/xml")


def original_files(session: Session, invoice: Invoice) -> tuple[Attachment, ...]:
    """The invoice documents of the e-mail the business BCC'd (the raw message is kept for exactly this)."""
    if invoice.source_message_id is None:
        return ()
    source = session.get(InboundMessage, invoice.source_message_id)
    try:
        mail = parse_message(source.raw) if source is not None else None
    except MalformedMessage:
        return ()
    if mail is None:
        return ()
    return tuple(a for a in mail.attachments
                 if a.content_type in _INVOICE_FILES or a.filename.lower().endswith((".pdf", ".xml")))


def send_invoice_copy(session: Session, invoice: Invoice, request: InboundMessage, *, now: datetime,
                      letters: LetterSettings) -> OutboundMessage | None:
    """Record the copy in the outbox (sent by the next sweep); once per request. None when there is no original."""
    files = original_files(session, invoice)
    if not files:
        return None
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    step_name = f"invoice_copy.m{request.id}"  # a second request is a second copy
    if session.scalar(select(OutboundInvoice.id).where(OutboundInvoice.invoice_id == invoice.id,
                                                       OutboundInvoice.step == step_name)):
        return None
    letter = compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=COPY, now=now,
                              letters=letters, extra=files, key_suffix=f".m{request.id}",
                              templates=templates_for(session, business.id, debtor))
    row = record_outbound(session, business_id=business.id, debtor_id=debtor.id, invoices=[invoice],
                          step=step_name, letter=letter, now=now)
    record_event(session, EventKind.INVOICE_COPY_RECORDED, at=now, business_id=business.id, invoice_id=invoice.id,
                 debtor_id=debtor.id, inbound_message_id=request.id, outbound_message_id=row.id,
                 files=[f.filename for f in files])
    return row
