"""The business_ladders table: a business's own ladder for one segment and kind of debtor, stored as data.

Import it through `worker.db.models` (which registers it at its end), not on its own first.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from worker.db.models import Base


class BusinessLadder(Base):
    """The steps (see `worker.domain.ladder_rules.step_data`) a business set for one segment (`new`, `on_time`,
    `occasionally_late`, `chronically_late`) and kind of debtor (`business` or `consumer`). No row: the built-in
    ladder of `worker.domain.segment_ladders` applies."""

    __tablename__ = "business_ladders"
    __table_args__ = (UniqueConstraint("business_id", "segment", "debtor_kind", name="uq_business_ladders_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    segment: Mapped[str] = mapped_column(String(30))
    debtor_kind: Mapped[str] = mapped_column(String(10))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
