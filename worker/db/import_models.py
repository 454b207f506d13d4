"""The invoice_imports tables: one uploaded CSV or ZIP of invoices, and what became of each of its lines.

Import it through `worker.db.fact_changes` or the use cases, which register it with the other tables.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from worker.db.models import Base


class InvoiceImport(Base):
    """One file of existing invoices (a CSV, or a ZIP of PDF/UBL/Factur-X files) read by the import job."""

    __tablename__ = "invoice_imports"
    __table_args__ = (Index("ix_invoice_imports_business_id_id", "business_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    filename: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))  # csv | zip
    data: Mapped[bytes] = mapped_column(LargeBinary)  # kept so a job on any worker can read it
    status: Mapped[str] = mapped_column(String(20))  # queued | running | finished | failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # why the whole file could not be read
    who: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class InvoiceImportLine(Base):
    """One CSV row or ZIP member: imported (with its invoice), duplicate, or refused with the reason."""

    __tablename__ = "invoice_import_lines"
    __table_args__ = (UniqueConstraint("import_id", "line"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("invoice_imports.id"))
    line: Mapped[int] = mapped_column(Integer)  # the CSV line number (header = 1), or the member's position
    source: Mapped[str | None] = mapped_column(String(300))  # the ZIP member's name
    invoice_number: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))  # imported | duplicate | refused
    reason: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(60))  # the column a refusal is about
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
