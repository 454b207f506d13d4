"""Import endpoints: upload the invoices a business already has (CSV or ZIP), follow the job line by line."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, File, HTTPException, Query, Request, Security, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, api_key_header, current_business, request_now
from worker.db.import_models import InvoiceImport, InvoiceImportLine
from worker.db.models import Business
from worker.jobs.import_invoices import hand_to_rq, run_here
from worker.usecases.api_keys import find_key
from worker.usecases.imports import ImportUnreadable, start_import

router = APIRouter(prefix="/imports", tags=["imports"])

MAX_BYTES = 100 * 1024 * 1024  # a ZIP of a few thousand invoice PDFs

CSV_EXAMPLE = ("invoice number;invoice date;due date;amount;currency;debtor name;debtor e-mail;debtor country;"
               "consumer;language\n"
               "F-2026-101;01-11-2026;2026-12-01;1.234,56;EUR;Klant B.V.;ap@klant.example;NL;no;nl\n")


class ImportLineOut(BaseModel):
    """What became of one CSV row (its line in the file, the header being line 1) or one file of the ZIP."""

    model_config = ConfigDict(from_attributes=True)
    line: int
    source: str | None = Field(description="The file's name inside the ZIP; null for a CSV row.")
    invoice_number: str | None
    outcome: str = Field(description="imported, duplicate (the invoice number is known already) or refused.")
    reason: str | None = Field(description="Why it was refused, why it is a duplicate, or why an imported invoice "
                                           "is held for review.")
    field: str | None = Field(description="The column (or `file`) a refusal is about.")
    invoice_id: int | None


class ImportOut(BaseModel):
    """An import with its counts; `lines` lists the lines read so far (a page of them)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    filename: str | None
    kind: str = Field(description="csv or zip")
    status: str = Field(description="queued, running, finished or failed")
    total: int
    done: int
    imported: int
    duplicates: int
    refused: int
    error: str | None
    who: str
    created_at: datetime
    finished_at: datetime | None
    lines: list[ImportLineOut] = []


def _detail(example: str) -> dict[str, Any]:
    return {"application/json": {"example": {"detail": example}}}


def key_label(session: Session = TRANSACTION, api_key: str | None = Security(api_key_header)) -> str:
    """Who acts: the label of the API key (current_business has already refused a missing or unknown key)."""
    key = find_key(session, api_key) if api_key else None
    return key.label if key is not None else "api"


def _own_import(session: Session, business: Business, import_id: int) -> InvoiceImport:
    row = session.get(InvoiceImport, import_id)
    if row is None or row.business_id != business.id:  # another business's import is as unknown as a missing one
        raise HTTPException(404, f"no import {import_id}; POST /imports/invoices starts one")
    return row


@router.post("/invoices", status_code=202, response_model=ImportOut, summary="Import existing invoices",
             responses={413: {"description": "The file is too large.", "content": _detail(
                            "the file is larger than 100 MB; split it")},
                        422: {"description": "Not a CSV or ZIP we read.", "content": _detail(
                            "the header row has no column debtor_email (found: number, amount); see the "
                            "documented columns")}},
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"example": {
                 "file": CSV_EXAMPLE}}}}})
def import_invoices(request: Request, background: BackgroundTasks,
                    file: Annotated[UploadFile, File(description="A CSV with a header row (columns: invoice "
                                                     "number, invoice date, due date, amount, currency, debtor "
                                                     "name, debtor e-mail, debtor country, consumer, language, "
                                                     "payment reference, debtor address; `,` `;` or tab "
                                                     "separated), or a ZIP of PDF, UBL or Factur-X files.")],
                    business: Business = Depends(current_business), who: str = Depends(key_label),
                    now: datetime = Depends(request_now)):
    """Bring in the open invoices the business already has. A CSV needs at least the invoice number, the amount
    and the debtor's e-mail per row; dates are ISO (2027-01-31) or day-month-year (31-01-2027), amounts take `,`
    or `.` as the decimal mark (`1.234,56`, `1234.56`). A ZIP holds invoice files, each read like an e-mailed
    invoice's attachment. Each row or file becomes an invoice exactly as a mailed one (the ladder starts from its
    due date), is a duplicate of a known invoice number, or is refused with the reason and the column.

    Answers 202 at once with the import; the lines are read by a job: follow it with `GET /imports/{id}`."""
    data = file.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HTTPException(413, "the file is larger than 100 MB; split it into several imports")
    container = request.app.state.container
    try:
        with container.sessions.begin() as own:  # committed before a job on another worker looks for it
            row = start_import(own, own.get_one(Business, business.id), data, filename=file.filename, who=who,
                               now=now)
            answer = ImportOut.model_validate(row)
    except ImportUnreadable as exc:
        raise HTTPException(422, str(exc)) from exc
    if not hand_to_rq(container, answer.id):
        background.add_task(run_here, container, answer.id)
    return answer


@router.get("/{import_id}", response_model=ImportOut, summary="Follow an import",
            responses={404: {"description": "No such import of this business.", "content": _detail(
                "no import 7; POST /imports/invoices starts one")}})
def get_import(import_id: int, business: Business = Depends(current_business), session: Session = TRANSACTION,
               after_line: Annotated[int, Query(ge=0, le=10**9, description="Lines after this one (paging).")] = 0,
               limit: Annotated[int, Query(ge=1, le=5000, description="At most this many lines.")] = 1000):
    """The import's status and counts (total, done, imported, duplicates, refused) and its lines read so far,
    each with its outcome and, when refused, the reason and the column to correct."""
    row = _own_import(session, business, import_id)
    lines = session.scalars(select(InvoiceImportLine).where(InvoiceImportLine.import_id == row.id,
                                                            InvoiceImportLine.line > after_line)
                            .order_by(InvoiceImportLine.line).limit(limit)).all()
    answer = ImportOut.model_validate(row)
    answer.lines = [ImportLineOut.model_validate(line) for line in lines]
    return answer


@router.get("", response_model=list[ImportOut], summary="List imports")
def list_imports(business: Business = Depends(current_business), session: Session = TRANSACTION,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50):
    """The business's imports, newest first, with their counts (without lines)."""
    rows = session.scalars(select(InvoiceImport).where(InvoiceImport.business_id == business.id)
                           .order_by(InvoiceImport.id.desc()).limit(limit)).all()
    return [ImportOut.model_validate(r) for r in rows]
