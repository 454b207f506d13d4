"""Print queue endpoints: letters for offline debtors, to download, print, post and mark as posted."""

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from mailer.message import safe_filename
from worker.api.deps import TRANSACTION, current_business, request_now
from worker.db.models import Business
from worker.usecases.print_queue import (
    NotInPrintQueue,
    letters_to_print,
    mark_posted,
    printable_file,
    queued_letter,
)

router = APIRouter(prefix="/print-queue", tags=["post"])


class PrintItem(BaseModel):
    id: int
    debtor_id: int | None
    step: str
    subject: str
    created_at: datetime


@router.get("", response_model=list[PrintItem])
def list_print_queue(request: Request, business: Business = Depends(current_business),
                     session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Letters waiting to be printed and posted (debtors marked offline)."""
    letters = request.app.state.container.letter_settings()  # letters not yet rendered are rendered here
    return [PrintItem(id=r.id, debtor_id=r.debtor_id, step=r.step, subject=r.subject, created_at=r.created_at)
            for r in letters_to_print(session, business.id, letters, now)]


@router.get("/{outbound_id}/file")
def download_letter(outbound_id: int, request: Request, business: Business = Depends(current_business),
                    session: Session = TRANSACTION, now: datetime = Depends(request_now)) -> Response:
    """The print-ready letter (PDF when LibreOffice is installed, else DOCX)."""
    letters = request.app.state.container.letter_settings()
    try:
        name, content_type, data = printable_file(queued_letter(session, business.id, outbound_id, letters, now))
    except NotInPrintQueue as exc:
        # Answered, not raised: a letter that could not be made was sent to review in this transaction.
        return JSONResponse({"detail": str(exc)}, status_code=404)
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
