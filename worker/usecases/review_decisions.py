"""What a person decided on a review item: one `ReviewDecided` event each, and which items are decided already."""

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from worker.db.models import TimelineEvent
from worker.domain.events import EventKind
from worker.usecases.timeline import record_event

NOTICE_ACTIONS = ("dismiss",)


class ReviewConflict(ValueError):
    """The item was decided already, or is not in a state this action applies to (answered 409)."""


class ReviewRefused(ValueError):
    """The decision's own input does not fit (answered 422, naming `field`)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def record_decision(session: Session, action: str, *, who: str, now: datetime, business_id: int,
                    invoice_id: int | None = None, debtor_id: int | None = None, event_id: int | None = None,
                    inbound_id: int | None = None, **data: Any) -> TimelineEvent:
    """On the invoice's timeline (or the business's, for an item without invoice), with the API key's label."""
    return record_event(session, EventKind.REVIEW_DECIDED, at=now, business_id=business_id, invoice_id=invoice_id,
                        debtor_id=debtor_id, inbound_message_id=inbound_id, action=action, who=who,
                        event_id=event_id, **data)


def decided_events(business_id: int) -> Select[Any]:
    """The ids of the business's timeline events (notices, replies, reported payments) a person decided on."""
    decision = aliased(TimelineEvent)
    return select(decision.data["event_id"].as_integer()).where(
        decision.business_id == business_id, decision.kind == EventKind.REVIEW_DECIDED.value)


def event_to_decide(session: Session, business_id: int, event_id: int, kinds: tuple[str, ...]) -> TimelineEvent | None:
    """The business's event of one of `kinds`, locked while deciding (two clerks cannot both decide it)."""
    event = session.scalars(select(TimelineEvent).where(TimelineEvent.id == event_id).with_for_update()).first()
    if event is None or event.business_id != business_id or event.kind not in kinds:
        return None
    return event


def earlier_decision(session: Session, event: TimelineEvent) -> TimelineEvent | None:
    """The decision already taken on `event`, if any."""
    decision = aliased(TimelineEvent)
    return session.scalars(select(decision).where(
        decision.business_id == event.business_id, decision.kind == EventKind.REVIEW_DECIDED.value,
        decision.data["event_id"].as_integer() == event.id).order_by(decision.id)).first()


def refuse_if_decided(session: Session, event: TimelineEvent, what: str) -> None:
    earlier = earlier_decision(session, event)
    if earlier is not None:
        raise ReviewConflict(f"{what} {event.id} was already handled ({earlier.data.get('action')} by "
                             f"{earlier.data.get('who')} on {earlier.at.date().isoformat()}); nothing was changed")


def dismiss_notice(session: Session, event: TimelineEvent, *, who: str, note: str | None,
                   now: datetime) -> TimelineEvent:
    """The notice leaves the review queue; the notice itself stays on the timeline."""
    refuse_if_decided(session, event, "notice")
    return record_decision(session, "dismiss", who=who, now=now, business_id=event.business_id,
                           invoice_id=event.invoice_id, debtor_id=event.debtor_id, event_id=event.id,
                           notice=event.kind, note=note)
