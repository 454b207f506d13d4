"""The letter_templates table: staff-uploaded .docx letters per business (or debtor), every version kept.

Import it through `worker.db.models` (which registers it at its end), not on its own first.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from worker.db.models import Base


class LetterTemplate(Base):
    """One uploaded version of one letter (`name`, e.g. `reminder` or `reminder.informal`) in one language.

    `debtor_id` None: the business's own letter; set: a letter for that debtor only. At most one version per
    (business, debtor, name, language) is `active`; none active means the next place on the search path
    (business, then built-in) serves the letter. Versions are never deleted, so a revert is always possible.
    """

    __tablename__ = "letter_templates"
    __table_args__ = (Index("ix_letter_templates_lookup", "business_id", "name", "language", "debtor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    debtor_id: Mapped[int | None] = mapped_column(ForeignKey("debtors.id"))
    name: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(5))
    version: Mapped[int] = mapped_column(Integer)
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
