"""Print queue endpoints: letters for offline debtors, to download, print, post and mark as posted."""

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.message import safe_filename
from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.errors import error_response
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, lead_on
from worker.db.models import Business, OutboundMessage
from worker.usecases.print_queue import (
    TO_PRINT,
    NotInPrintQueue,
    mark_posted,
    printable_file,
    queued_letter,
)
from worker.usecases.render_outbound import ensure_rendered_in

router = APIRouter(prefix="/print-queue", tags=["post"])


class PrintItem(BaseModel):
    id: int
    debtor_id: int | None
    step: str
    subject: str
    created_at: datetime


@router.get("", response_model=list[PrintItem], responses=PAGE_HEADERS)
def list_print_queue(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                     business: Business = Depends(current_business), session: Session = TRANSACTION,
                     now: datetime = Depends(request_now)):
    """Letters waiting to be printed and posted (debtors marked offline), oldest first, a page at a time."""
    key = decode("print-queue", cursor, (int,)) if cursor else None
    query = select(OutboundMessage).where(OutboundMessage.business_id == business.id,
                                          OutboundMessage.status == TO_PRINT)
    page = fetch(session, after(query, [OutboundMessage.id], key), limit, lambda r: (r.id,))
    lead_on(request, response, "print-queue", page.next_key, limit)
    letters = request.app.state.container.letter_settings()  # the tick records decisions: the page is rendered here
    return [PrintItem(id=r.id, debtor_id=r.debtor_id, step=r.step, subject=r.subject, created_at=r.created_at)
            for r in page.rows if ensure_rendered_in(session, r, letters, now)]


@router.get("/{outbound_id}/file")
def download_letter(outbound_id: int, request: Request, business: Business = Depends(current_business),
                    session: Session = TRANSACTION, now: datetime = Depends(request_now)) -> Response:
    """The print-ready letter (PDF when LibreOffice is installed, else DOCX)."""
    letters = request.app.state.container.letter_settings()
    try:
        name, content_type, data = printable_file(queued_letter(session, business.id, outbound_id, letters, now))
    except NotInPrintQueue as exc:
        # Answered, not raised: a letter that could not be made was sent to review in this transaction.
        return error_response(404, str(exc))
    return Response(data, media_type=content_type, headers={"Content-Disposition": _attachment(name)})


def _attachment(name: str) -> str:
    """The file name comes from the invoice number the sender printed: no path, no quotes or line breaks in the
    header, and the exact name RFC 6266-encoded for clients that read it."""
    safe = safe_filename(name) or "letter"
    plain = safe.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(safe, safe='')}"


@router.post("/{outbound_id}/posted", response_model=PrintItem)
def letter_posted(outbound_id: int, business: Business = Depends(current_business),
                  session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Mark a letter as posted; it then counts as sent in the invoices' timelines."""
    try:
        row = queued_letter(session, business.id, outbound_id)
    except NotInPrintQueue as exc:
        raise HTTPException(404, str(exc)) from exc
    mark_posted(session, row, now)
    return PrintItem(id=row.id, debtor_id=row.debtor_id, step=row.step, subject=row.subject, created_at=row.created_at)
