"""Write a webhook delivery for every event a business subscribed to, in the transaction that makes the event.

A flush listener, like worker.db.fact_changes: the new timeline events and the invoices whose status changed are
turned into outbox rows (`webhook_deliveries`) in the same transaction, so an event is told if and only if it
happened. After the commit the `kick` given to `watch_webhooks` is called, which has a delivery job run.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from worker.clock import utcnow
from worker.db.models import Invoice, TimelineEvent
from worker.db.webhook_models import Webhook, WebhookDelivery
from worker.domain.events import EventKind

# Timeline kinds told as events (invoice.status_changed comes from the invoice row itself).
KIND_EVENTS: dict[str, str] = {
    EventKind.REPLY_RECEIVED.value: "reply.received",
    EventKind.PAYMENT_RECORDED.value: "payment.recorded",
    # What lands in the review queue (GET /review): a held invoice and the notices a person must look at.
    EventKind.INVOICE_HELD_FOR_REVIEW.value: "review.created",
    EventKind.REMITTANCE_NEEDS_REVIEW.value: "review.created",
    EventKind.PAYMENT_REPORTED.value: "review.created",
    EventKind.GENERAL_ADDRESS_MISSING.value: "review.created",
    EventKind.DELIVERY_FAILED.value: "review.created",
    EventKind.LETTER_FAILED.value: "review.created",
    EventKind.BOUNCE_RECEIVED.value: "review.created",
}
_PENDING_KEY = "webhook_deliveries_added"
_MOMENTS_KEY = "webhook_event_moments"


def _timeline_payload(row: TimelineEvent) -> tuple[int, str, datetime, dict[str, Any]]:
    return row.business_id, KIND_EVENTS[row.kind], row.at, {
        "timeline_event_id": row.id, "kind": row.kind, "invoice_id": row.invoice_id, "debtor_id": row.debtor_id,
        "at": row.at.isoformat(), "details": row.data or {}}


def _status_payload(invoice: Invoice, at: datetime) -> tuple[int, str, datetime, dict[str, Any]] | None:
    history = inspect(invoice).attrs["status"].history
    if not history.has_changes() or not history.deleted:
        return None  # a new invoice has no status change; its InvoiceReceived is on the timeline
    before, after = history.deleted[0], invoice.status
    if before == after:
        return None
    return invoice.business_id, "invoice.status_changed", at, {
        "invoice_id": invoice.id, "number": invoice.number, "debtor_id": invoice.debtor_id, "from": before,
        "to": after, "reason": invoice.status_reason, "at": at.isoformat()}


def _after_flush(session: Session, _context: Any) -> None:
    events = [_timeline_payload(o) for o in session.new if isinstance(o, TimelineEvent) and o.kind in KIND_EVENTS]
    # A status change carries the moment of the timeline event that came with it in this transaction (maybe in
    # an earlier flush), else the wall clock.
    moments = session.info.setdefault(_MOMENTS_KEY, {})
    moments.update({o.invoice_id: o.at for o in session.new if isinstance(o, TimelineEvent) and o.invoice_id})
    for obj in session.dirty:
        if isinstance(obj, Invoice):
            told = _status_payload(obj, moments.get(obj.id) or utcnow())
            if told is not None:
                events.append(told)
    if not events:
        return
    connection = session.connection()
    hooks = cast(Table, Webhook.__table__)
    subscribed = connection.execute(select(hooks.c.id, hooks.c.business_id, hooks.c.events).where(
        hooks.c.business_id.in_(sorted({e[0] for e in events})), hooks.c.deleted_at.is_(None))).all()
    rows = []
    for business_id, name, at, data in events:
        event_id = f"evt_{uuid.uuid4().hex}"  # one id per event, the same for each endpoint told of it
        payload = {"id": event_id, "type": name, "created": at.isoformat(), "business_id": business_id,
                   "data": data}
        rows += [{"webhook_id": hook.id, "business_id": business_id, "event": name, "event_id": event_id,
                  "payload": payload, "status": "pending", "attempts": 0, "next_attempt_at": None,
                  "created_at": at} for hook in subscribed if hook.business_id == business_id and name in hook.events]
    if rows:
        connection.execute(insert(cast(Table, WebhookDelivery.__table__)), rows)
        session.info[_PENDING_KEY] = True


def watch_webhooks(sessions: sessionmaker[Session], kick: Callable[[], None] | None = None) -> None:
    """Write deliveries after every flush of these sessions; call `kick` after a commit that wrote any.
    Idempotent: a factory watched twice writes each delivery once (the first kick given stays)."""
    if event.contains(sessions, "after_flush", _after_flush):
        return
    event.listen(sessions, "after_flush", _after_flush)

    def _after_commit(session: Session) -> None:
        session.info.pop(_MOMENTS_KEY, None)
        if session.info.pop(_PENDING_KEY, False) and kick is not None:
            kick()

    def _after_rollback(session: Session) -> None:
        session.info.pop(_PENDING_KEY, None)
        session.info.pop(_MOMENTS_KEY, None)

    event.listen(sessions, "after_commit", _after_commit)
    # Only the outermost rollback undoes the deliveries; a savepoint's leaves those written before it.
    event.listen(sessions, "after_soft_rollback",
                 lambda session, previous: _after_rollback(session) if previous.parent is None else None)
