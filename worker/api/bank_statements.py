"""Bank statement endpoints: upload a statement (credits matched and booked), list the imports."""

from datetime import date, datetime
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parsers.bank import StatementUnreadable
from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, lead_on
from worker.db.models import BankStatementImport, BankTransaction, Business
from worker.usecases.bank_statements import import_statement

router = APIRouter(prefix="/bank-statements", tags=["bank statements"])

MAX_BYTES = 20 * 1024 * 1024  # a year of daily statements of a small business is far less


class ImportCountsOut(BaseModel):
    transactions: int
    credits: int
    matched: int
    review: int
    duplicates: int


class StatementImportOut(ImportCountsOut):
    model_config = ConfigDict(from_attributes=True)
    id: int
    filename: str | None
    format: str
    account_iban: str | None
    source: str
    imported_at: datetime


class StatementLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    statement_id: int
    booking_date: date
    amount: Decimal
    currency: str
    credit: bool
    reversal: bool
    bank_reference: str | None
    counterparty_name: str | None
    counterparty_iban: str | None
    remittance: str
    creditor_reference: str | None
    status: str
    rule: str | None
    reason: str | None
    candidates: list[int]


@router.post("", response_model=ImportCountsOut, responses={422: {"description": "Not a statement we read."}})
def upload_statement(file: UploadFile, request: Request, business: Business = Depends(current_business),
                           now: datetime = Depends(request_now)):
    """Upload a bank statement (CAMT.053/054, MT940, or the CSV export of Rabobank, ING or ABN AMRO) as the
    multipart field `file`. Credits that name an invoice (payment reference, invoice number) or pay the exact
    open amount of a known payer are booked as payments; the rest wait in `GET /review/credits`. Lines seen in
    an earlier upload are counted as `duplicates` and booked nothing: uploading overlapping statements is safe."""
    data = file.file.read(MAX_BYTES + 1)  # a plain def: FastAPI runs it in a thread, off the event loop
    if len(data) > MAX_BYTES:
        raise HTTPException(413, "the file is larger than 20 MB; export a shorter period")
    container = request.app.state.container
    # Two uploads of one statement at the same moment: the unique line key stops the second; run it again and
    # it sees every line as a duplicate, as if it had come second.
    for attempt in (1, 2):
        try:
            with container.sessions.begin() as own:
                _row, counts = import_statement(own, own.get_one(Business, business.id), data,
                                                filename=file.filename, source="upload", now=now,
                                                letters=container.letter_settings())
            return counts.as_dict()
        except StatementUnreadable as exc:
            raise HTTPException(422, str(exc)) from exc
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@router.get("", response_model=list[StatementImportOut], responses=PAGE_HEADERS)
def list_statements(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                    business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Every statement imported, newest first, with what became of its lines; a page at a time."""
    key = decode("bank-statements", cursor, (int,)) if cursor else None
    query = after(select(BankStatementImport).where(BankStatementImport.business_id == business.id),
                  [BankStatementImport.id], key, descending=True)
    page = fetch(session, query, limit, lambda r: (r.id,))
    lead_on(request, response, "bank-statements", page.next_key, limit)
    return page.rows


@router.get("/{statement_id}/lines", response_model=list[StatementLineOut], responses=PAGE_HEADERS)
def statement_lines(statement_id: int, request: Request, response: Response, limit: Limit = DEFAULT_LIMIT,
                    cursor: Cursor = None, business: Business = Depends(current_business),
                    session: Session = TRANSACTION):
    """The lines of one import (duplicates of earlier imports are not stored again), a page at a time."""
    row = session.get(BankStatementImport, statement_id)
    if row is None or row.business_id != business.id:
        raise HTTPException(404, f"no bank statement {statement_id}; GET /bank-statements lists them")
    key = decode("statement-lines", cursor, (int,)) if cursor else None
    query = after(select(BankTransaction).where(BankTransaction.statement_id == row.id), [BankTransaction.id], key)
    page = fetch(session, query, limit, lambda r: (r.id,))
    lead_on(request, response, "statement-lines", page.next_key, limit)
    return page.rows
