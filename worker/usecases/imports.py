"""Bring in the invoices a business already has: a CSV or a ZIP of invoice files, checked and reported per line.

Each line becomes an invoice exactly as a mailed one does (worker.usecases.invoice_intake): a ZIP member is
wrapped in the e-mail it would have arrived in, a CSV row is the ParsedInvoice the parsers would have read. Every
line runs in its own transaction and is recorded with its outcome, so progress is visible while the job runs and
a job started again (a worker died) carries on after the last line recorded.
"""

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mailer.message import Attachment
from mailer.message import InboundMessage as ParsedMail
from worker.db.import_models import InvoiceImport, InvoiceImportLine
from worker.db.models import Business, Debtor, InboundMessage, Invoice
from worker.domain.events import EventKind
from worker.usecases.imports_csv import CsvRow, CsvUnreadable, RowRefused, read_rows, row_invoice
from worker.usecases.invoice_intake import _upsert_invoice, accept_invoice_mail
from worker.usecases.quarantine import InvoiceUnusable
from worker.usecases.timeline import record_event

log = logging.getLogger(__name__)

MAX_MEMBERS = 5_000
MAX_MEMBER_BYTES = 20 * 1024 * 1024  # an invoice PDF is far smaller; a bigger one is a bomb or a scan archive
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
_TYPES = {".pdf": "application/pdf", ".xml": "application/xml"}


class ImportUnreadable(ValueError):
    """The uploaded file as a whole is not an import we read; `field` names what is wrong."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LineOutcome:
    line: int
    outcome: str  # imported | duplicate | refused
    source: str | None = None
    invoice_number: str | None = None
    reason: str | None = None
    field: str | None = None
    invoice_id: int | None = None


def _members(data: bytes) -> list[zipfile.ZipInfo]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportUnreadable(f"the ZIP file cannot be opened ({exc}); zip the invoice files again") from exc
    if not infos:
        raise ImportUnreadable("the ZIP file holds no files; put the invoice PDFs or XML files in it")
    if len(infos) > MAX_MEMBERS:
        raise ImportUnreadable(f"the ZIP file holds more than {MAX_MEMBERS} files; split it")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise ImportUnreadable("the ZIP file unpacks to more than 500 MB; split it")
    return infos


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def start_import(session: Session, business: Business, data: bytes, *, filename: str | None, who: str,
                 now: datetime) -> InvoiceImport:
    """Check the file as a whole and record the import (its lines are read by `run_import`)."""
    kind = "zip" if data[:2] == b"PK" else "csv"  # a ZIP (also an empty one) starts with PK
    try:
        total = len(_members(data)) if kind == "zip" else len(read_rows(data))
    except CsvUnreadable as exc:
        raise ImportUnreadable(str(exc), exc.field or "file") from exc
    row = InvoiceImport(business_id=business.id, filename=(filename or "")[:300] or None, kind=kind, data=data,
                        status="queued", total=total, done=0, imported=0, duplicates=0, refused=0, who=who,
                        created_at=now)
    session.add(row)
    session.flush()
    return row


def run_import(sessions: sessionmaker[Session], import_id: int, *, now: Callable[[], datetime],
               service_address: str, progress: Callable[[InvoiceImport], None] | None = None) -> InvoiceImport:
    """Read every line not read yet, one transaction each; returns the finished import."""
    with sessions.begin() as session:
        job = session.get_one(InvoiceImport, import_id)
        job.status = "running"
        recorded = set(session.scalars(select(InvoiceImportLine.line)
                                       .where(InvoiceImportLine.import_id == import_id)))
        kind, data = job.kind, job.data
    try:
        lines = _csv_lines(data) if kind == "csv" else _zip_lines(data)
        for number, handle in lines:
            if number in recorded:
                continue
            with sessions.begin() as session:
                job = session.get_one(InvoiceImport, import_id, with_for_update=True)
                business = session.get_one(Business, job.business_id)
                at = now()
                outcome = handle(session, business, job, at, service_address)
                _record(session, job, outcome, at)
            if progress is not None:
                progress(job)
    except Exception as exc:
        log.exception("invoice import %s failed", import_id)
        with sessions.begin() as session:
            job = session.get_one(InvoiceImport, import_id)
            job.status, job.error, job.finished_at = "failed", f"the import stopped: {exc}", now()
        raise
    with sessions.begin() as session:
        job = session.get_one(InvoiceImport, import_id)
        job.status, job.finished_at = "finished", now()
    return job


_Handler = Callable[[Session, Business, InvoiceImport, datetime, str], LineOutcome]


def _record(session: Session, job: InvoiceImport, outcome: LineOutcome, now: datetime) -> None:
    session.add(InvoiceImportLine(import_id=job.id, line=outcome.line, source=outcome.source,
                                  invoice_number=outcome.invoice_number, outcome=outcome.outcome,
                                  reason=outcome.reason, field=outcome.field, invoice_id=outcome.invoice_id))
    job.done += 1
    if outcome.outcome == "imported":
        job.imported += 1
        record_event(session, EventKind.INVOICE_IMPORTED, at=now,
                     business_id=job.business_id, invoice_id=outcome.invoice_id, import_id=job.id,
                     line=outcome.line, who=job.who)
    elif outcome.outcome == "duplicate":
        job.duplicates += 1
    else:
        job.refused += 1


def _import_message(session: Session, business: Business, job: InvoiceImport, key: str, filename: str,
                    data: bytes, content_type: str, now: datetime) -> InboundMessage:
    """The stored message an imported file arrived in, as if the business had mailed it (kept as the original)."""
    found = session.scalars(select(InboundMessage).where(InboundMessage.message_key == key)).first()
    if found is not None:
        return found
    mail = EmailMessage()
    mail["From"] = business.from_address
    mail["Subject"] = f"Import {job.filename or job.id}"
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = key
    maintype, _, subtype = content_type.partition("/")
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    inbound = InboundMessage(message_key=key, business_id=business.id, raw=mail.as_bytes(),
                             from_address=business.from_address, subject=mail["Subject"], kind="invoice",
                             status="processed", reason=f"import {job.id}", received_at=now, processed_at=now)
    session.add(inbound)
    session.flush()
    return inbound


def _csv_lines(data: bytes) -> list[tuple[int, _Handler]]:
    def handler(row: CsvRow) -> _Handler:
        return lambda session, business, job, now, _service: _csv_line(session, business, job, row, now)
    return [(row.line, handler(row)) for row in read_rows(data)]


def _csv_line(session: Session, business: Business, job: InvoiceImport, row: CsvRow, now: datetime) -> LineOutcome:
    number = row.cells.get("invoice_number") or None
    try:
        facts = row_invoice(row)
    except RowRefused as exc:
        return LineOutcome(row.line, "refused", invoice_number=number, reason=str(exc), field=exc.field)
    existing = session.scalars(select(Invoice.id).where(Invoice.business_id == business.id,
                                                        Invoice.number == facts.invoice.invoice_number)).first()
    if existing is not None:
        return LineOutcome(row.line, "duplicate", invoice_number=number, invoice_id=existing,
                           reason=f"invoice {number} is already known")
    key = f"<import-{job.id}@invoice-import>"
    inbound = _import_message(session, business, job, key, job.filename or "invoices.csv", job.data, "text/csv",
                              now)
    invoice = _upsert_invoice(session, business, inbound, facts.invoice, facts.invoice.buyer.email, now)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    # What a person set through the API wins; the row fills in what is still unknown about its debtor.
    debtor.country = debtor.country or facts.country
    if facts.consumer is not None and _first_invoice_of(session, debtor):
        debtor.is_consumer = facts.consumer
    return LineOutcome(row.line, "imported", invoice_number=number, invoice_id=invoice.id,
                       reason=invoice.status_reason if invoice.status == "review" else None)


def _first_invoice_of(session: Session, debtor: Debtor) -> bool:
    return session.scalar(select(func.count()).select_from(Invoice).where(Invoice.debtor_id == debtor.id)) == 1


def _zip_lines(data: bytes) -> list[tuple[int, _Handler]]:
    archive = zipfile.ZipFile(io.BytesIO(data))

    def handler(position: int, info: zipfile.ZipInfo) -> _Handler:
        return lambda session, business, job, now, service: _zip_member(session, business, job, archive, position,
                                                                        info, now, service)
    return [(position, handler(position, info)) for position, info in enumerate(_members(data), start=1)]


def _zip_member(session: Session, business: Business, job: InvoiceImport, archive: zipfile.ZipFile, position: int,
                info: zipfile.ZipInfo, now: datetime, service_address: str) -> LineOutcome:
    name = PurePosixPath(info.filename).name
    content_type = _TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        return LineOutcome(position, "refused", source=info.filename[:300], field="file",
                           reason=f"{name}: not a PDF or XML invoice file")
    if info.file_size > MAX_MEMBER_BYTES:
        return LineOutcome(position, "refused", source=info.filename[:300], field="file",
                           reason=f"{name}: larger than 20 MB, no invoice is")
    try:
        data = archive.read(info)
    # NotImplementedError is zipfile's answer to a compression method it cannot read; RuntimeError to encryption.
    except (zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError) as exc:
        return LineOutcome(position, "refused", source=info.filename[:300], field="file",
                           reason=f"{name}: cannot be unpacked ({exc})")
    key = f"<import-{job.id}-{position}@invoice-import>"
    mail = ParsedMail(message_id=key, from_address=business.from_address, from_name=None, to=[], cc=[],
                      delivered_to=[], subject=f"Import {job.filename or job.id}", date=now, in_reply_to=None,
                      references=[], text="", html=None, attachments=[Attachment(name, content_type, data)])
    with session.begin_nested() as nested:
        inbound = _import_message(session, business, job, key, name, data, content_type, now)
        try:
            result = accept_invoice_mail(session, business, inbound, mail, service_address=service_address,
                                         now=now)
        except InvoiceUnusable as exc:
            nested.rollback()  # nothing of a refused file stays
            return LineOutcome(position, "refused", source=info.filename[:300], reason=str(exc), field="file")
    invoices = [session.get_one(Invoice, i) for i in result.invoice_ids]
    new = [i for i in invoices if i.source_message_id == inbound.id]
    first = (new or invoices)[0]
    numbers = ", ".join(i.number for i in invoices)[:100]
    if not new:
        return LineOutcome(position, "duplicate", source=info.filename[:300], invoice_number=numbers,
                           invoice_id=first.id, reason=f"invoice {numbers} is already known")
    held = "; ".join(i.status_reason for i in new if i.status == "review" and i.status_reason) or None
    return LineOutcome(position, "imported", source=info.filename[:300], invoice_number=numbers,
                       invoice_id=first.id, reason=held)


def import_lines(session: Session, import_id: int) -> list[InvoiceImportLine]:
    """The per-line results recorded so far, in file order."""
    return list(session.scalars(select(InvoiceImportLine).where(InvoiceImportLine.import_id == import_id)
                                .order_by(InvoiceImportLine.line)))
