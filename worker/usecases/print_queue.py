"""Letters for debtors who are rarely online: listed for the business to print and post, then marked posted."""

from datetime import datetime
from email import message_from_bytes, policy

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import OutboundInvoice, OutboundMessage
from worker.domain.events import EventKind
from worker.usecases.render_outbound import ensure_rendered_in, needs_render
from worker.usecases.timeline import record_event

TO_PRINT = "to_print"


class NotInPrintQueue(LookupError):
    """No such letter waiting to be printed for this business."""


def letters_to_print(session: Session, business_id: int, letters: LetterSettings | None = None,
                     now: datetime | None = None) -> list[OutboundMessage]:
    """The queue, each letter rendered (the tick records only the decision) when `letters` and `now` are given;
    a letter that cannot be made leaves the queue for review."""
    rows = list(session.scalars(select(OutboundMessage).where(
        OutboundMessage.business_id == business_id, OutboundMessage.status == TO_PRINT).order_by(OutboundMessage.id)))
    if letters is None or now is None:
        return rows
    return [row for row in rows if ensure_rendered_in(session, row, letters, now)]


def queued_letter(session: Session, business_id: int, outbound_id: int, letters: LetterSettings | None = None,
                  now: datetime | None = None) -> OutboundMessage:
    row = session.get(OutboundMessage, outbound_id)
    if row is None or row.business_id != business_id or row.status != TO_PRINT:
        raise NotInPrintQueue(f"no letter {outbound_id} waiting to be printed")
    if letters is not None and now is not None and not ensure_rendered_in(session, row, letters, now):
        raise NotInPrintQueue(f"letter {outbound_id} could not be made ({row.last_error}); its invoices are in review")
    return row


def printable_file(row: OutboundMessage) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the letter inside the recorded message: the PDF when there is one."""
    if needs_render(row):
        raise NotInPrintQueue(f"letter {row.id} is not rendered yet")
    message = message_from_bytes(row.raw, policy=policy.default)
    parts = list(message.iter_attachments())  # type: ignore[attr-defined]
    parts.sort(key=lambda p: p.get_content_type() != "application/pdf")
    if not parts:
        raise NotInPrintQueue(f"letter {row.id} has no attached file")
    part = parts[0]
    return part.get_filename() or f"letter-{row.id}", part.get_content_type(), part.get_content()


def mark_posted(session: Session, row: OutboundMessage, now: datetime) -> None:
    """The business posted it: recorded in the timeline of every invoice the letter covers, like an e-mail."""
    row.status, row.sent_at = "sent", now
    invoice_ids = session.scalars(select(OutboundInvoice.invoice_id).where(
        OutboundInvoice.outbound_message_id == row.id)).all()
    for invoice_id in invoice_ids:
        record_event(session, EventKind.LETTER_POSTED, at=now, business_id=row.business_id, invoice_id=invoice_id,
                     debtor_id=row.debtor_id, outbound_message_id=row.id, step=row.step)
