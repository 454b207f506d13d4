"""The hand-off dossier: one ZIP a collection agency or bailiff can work from."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, acting_key, current_business, request_now
from worker.api.invoices import own_invoice
from worker.db.models import Business
from worker.usecases.dossier import NoDossier, build_dossier, dossier_moment, record_dossier

router = APIRouter(prefix="/invoices", tags=["dossier"])
ZIP: dict[int | str, dict[str, Any]] = {200: {
             "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
             "description": "The dossier ZIP: `summary.pdf`, `invoice/` (the invoice file and the mail it came "
             "in), `letters/*.eml` (every message sent), `received/*.eml` (every message received).",
             "headers": {"X-Dossier-SHA256": {"description": "SHA-256 of the ZIP, also on the timeline.",
                                              "schema": {"type": "string"}},
                         "X-Dossier-As-Of": {"description": "The moment the dossier describes (ISO 8601).",
                                             "schema": {"type": "string"}}}}}


@router.get("/{invoice_id}/dossier", response_class=Response, responses=ZIP, summary="Hand-off dossier (ZIP)",
            description="Everything a Dutch incassobureau or gerechtsdeurwaarder asks for, in one ZIP: a PDF "
            "summary (parties, invoice, every reminder with date and channel, replies, promises, notes and calls, "
            "payments, and the claim: principal, interest and collection costs under the debtor's country's law, "
            "payments allocated per art. 6:44 BW), the original invoice file, every letter sent and every message "
            "received as .eml. For a handed-off invoice it describes the moment of the hand-off unless `as_of` is "
            "given; otherwise now. The same dossier is the same bytes every time (its SHA-256 is on the timeline). "
            "**409** when the invoice lacks its amount, currency or due date; **422** for an `as_of` in the "
            "future.")
def get_dossier(invoice_id: int,
                as_of: date | None = Query(None, description="Describe the claim and the facts up to the end of "
                                           "this day (the business's time zone) instead.", examples=["2027-03-01"]),
                business: Business = Depends(current_business), session: Session = TRANSACTION,
                now: datetime = Depends(request_now), by: str = Depends(acting_key)) -> Response:
    invoice = own_invoice(invoice_id, business, session)
    if as_of is None:
        moment = dossier_moment(session, invoice, now)
    else:
        if as_of > now.astimezone(ZoneInfo(business.timezone)).date():
            raise HTTPException(422, f"as_of {as_of.isoformat()} is in the future; give today or an earlier day")
        # The end of that day where the business is, but never later than now.
        end = datetime.combine(as_of + timedelta(days=1), time(0), ZoneInfo(business.timezone)) - timedelta(
            microseconds=1)
        moment = min(end, now)
    try:
        dossier = build_dossier(session, invoice, moment)
    except NoDossier as exc:
        raise HTTPException(409, str(exc)) from exc
    record_dossier(session, invoice, dossier, by=by, now=now)
    return Response(dossier.content, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{dossier.filename}"',
        "X-Dossier-SHA256": dossier.sha256, "X-Dossier-As-Of": dossier.as_of.isoformat()})
