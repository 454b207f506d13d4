"""A business's ladders as data: read them (its own, else the built-in ones), replace one, put one back to built-in.

A change applies to open invoices from their next step on: steps are matched by name, so a step an invoice
already took is never sent again, and the business-wide mark of `worker.db.fact_changes` has the next tick decide
every invoice again. Each open invoice on the changed ladder gets a `LadderChanged` event with who changed it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from worker.db.models import Business, BusinessLadder, Debtor, Invoice, TimelineEvent
from worker.db.template_models import LetterTemplate
from worker.domain.events import EventKind
from worker.domain.ladder_rules import DEBTOR_KINDS, LADDER_TEMPLATES, LadderProblem, ladder_problems, step_data
from worker.domain.segment_ladders import ladder_for
from worker.domain.segments import Segment
from worker.domain.status import InvoiceStatus
from worker.domain.step import Step
from worker.usecases.decision_batch import chunks, histories_for, ladder_keys_for, latest_invoices, own_ladders
from worker.usecases.decision_inputs import sending_window


class LadderRejected(ValueError):
    """The ladder breaks a rule; `problems` name each field."""

    def __init__(self, problems: list[LadderProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LadderView:
    """One ladder as the business sees it: `own` when it set it, else the built-in one."""

    segment: str
    debtor_kind: str
    own: bool
    steps: tuple[Step, ...]
    updated_at: datetime | None = None
    updated_by: str | None = None


def templates_for(session: Session, business: Business) -> set[str]:
    """The letter names a step may use: the built-in ladder letters and the business's own uploads."""
    own = session.scalars(select(LetterTemplate.name).where(LetterTemplate.business_id == business.id,
                                                           LetterTemplate.debtor_id.is_(None)).distinct())
    return set(LADDER_TEMPLATES) | set(own)


def built_in(business: Business, segment: Segment, debtor_kind: str) -> tuple[Step, ...]:
    """The built-in ladder; for consumers the variant of the business's country (NL 14-dagenbrief, BE)."""
    return ladder_for(segment, debtor_kind == "consumer", business.settings.get("country", "NL"))


def ladders_of(session: Session, business: Business) -> list[LadderView]:
    """Every (segment, kind of debtor) ladder of the business."""
    rows = {(r.segment, r.debtor_kind): r for r in session.scalars(
        select(BusinessLadder).where(BusinessLadder.business_id == business.id))}
    own = own_ladders(session, business.id)
    views = []
    for segment in Segment:
        for kind in DEBTOR_KINDS:
            row = rows.get((segment.value, kind))
            if row is None:
                views.append(LadderView(segment.value, kind, False, built_in(business, segment, kind)))
            else:
                views.append(LadderView(segment.value, kind, True, own[(segment.value, kind)], row.updated_at,
                                        row.updated_by))
    return views


def check_ladder(session: Session, business: Business, debtor_kind: str, steps: tuple[Step, ...]) -> None:
    """Raise `LadderRejected` naming every broken rule."""
    problems = ladder_problems(steps, debtor_kind == "consumer", templates_for(session, business))
    if problems:
        raise LadderRejected(problems)


def set_ladder(session: Session, business: Business, segment: Segment, debtor_kind: str,
               steps: tuple[Step, ...] | None, *, who: str, now: datetime) -> LadderView:
    """Store the business's own ladder for this segment and kind of debtor (`steps` None: back to built-in)."""
    if steps is not None:
        check_ladder(session, business, debtor_kind, steps)
    row = session.scalars(select(BusinessLadder).where(
        BusinessLadder.business_id == business.id, BusinessLadder.segment == segment.value,
        BusinessLadder.debtor_kind == debtor_kind)).one_or_none()
    before = tuple(s.name for s in (own_ladders(session, business.id).get((segment.value, debtor_kind))
                                    or built_in(business, segment, debtor_kind)))
    if steps is None:
        if row is not None:
            session.delete(row)
    else:
        if row is None:
            row = BusinessLadder(business_id=business.id, segment=segment.value, debtor_kind=debtor_kind)
            session.add(row)
        row.steps, row.updated_at, row.updated_by = [step_data(s) for s in steps], now, who
    session.flush()  # marks the business's invoices to be decided again (see worker.db.fact_changes)
    after = steps if steps is not None else built_in(business, segment, debtor_kind)
    _tell_open_invoices(session, business, segment, debtor_kind, now, who=who, before=before,
                        after=tuple(s.name for s in after), built_in=steps is None)
    return next(v for v in ladders_of(session, business) if (v.segment, v.debtor_kind) == (segment.value,
                                                                                           debtor_kind))


def _tell_open_invoices(session: Session, business: Business, segment: Segment, debtor_kind: str, now: datetime,
                        **data: Any) -> int:
    """A `LadderChanged` event on each open invoice whose debtor is on this ladder today (how many)."""
    debtor_ids = set(session.scalars(select(Invoice.debtor_id).where(
        Invoice.business_id == business.id, Invoice.status == InvoiceStatus.OPEN.value)))
    if not debtor_ids:
        return 0
    today = sending_window(business, now).local_date(now)
    debtors = [d for chunk in chunks(debtor_ids) for d in session.scalars(select(Debtor).where(Debtor.id.in_(chunk)))]
    keys = ladder_keys_for(business, debtors, today, histories_for(session, dict.fromkeys(debtor_ids, today)),
                           latest_invoices(session, debtor_ids))
    on_ladder = sorted(d for d, k in keys.items() if (k.segment, k.debtor_kind) == (segment, debtor_kind))
    rows = []
    for chunk in chunks(on_ladder):
        rows += [{"kind": EventKind.LADDER_CHANGED.value, "at": now, "business_id": business.id,
                  "invoice_id": invoice_id, "debtor_id": debtor_id,
                  "data": {"segment": segment.value, "debtor_kind": debtor_kind, **data}}
                 for invoice_id, debtor_id in session.execute(
                     select(Invoice.id, Invoice.debtor_id).where(Invoice.debtor_id.in_(chunk),
                                                                 Invoice.status == InvoiceStatus.OPEN.value))]
    if rows:
        # One multi-row INSERT: the business-wide mark of the ladder row already has every invoice decided again.
        session.execute(insert(TimelineEvent), rows)
    return len(rows)
