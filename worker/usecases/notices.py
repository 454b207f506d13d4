"""Tell a business, by e-mail through the outbox, what it should fix; one notice per kind per hour at most."""

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from worker.adapters.letters import (
    ComposedLetter,
    DocumentProblem,
    LetterSettings,
    compose_business_notice,
    compose_invoice_problem,
)
from worker.db.models import Business, InboundMessage, NoticeItem, OutboundMessage
from worker.domain.events import EventKind
from worker.usecases.notice_texts import Notice, combined_notice, invoice_problem_words
from worker.usecases.outbox import record_outbound
from worker.usecases.timeline import record_event

log = logging.getLogger(__name__)

# 200 bad attachments, or a bounce storm, must not become 200 e-mails: one notice per kind per business per hour.
COALESCE_WINDOW = timedelta(hours=1)
INVOICE_PROBLEM = "notice:invoice_problem"
BUSINESS = "notice:business"


def notify_invoice_problem(session: Session, business: Business, inbound: InboundMessage, *, filename: str,
                           problems: list[DocumentProblem], invoice_id: int | None, now: datetime,
                           letters: LetterSettings) -> OutboundMessage | None:
    """An invoice the business sent could not be used (or is held for review): which file, what is wrong."""
    payload = {"filename": filename, "received_at": inbound.received_at.isoformat(), "subject": inbound.subject,
               "sender": inbound.from_address, "problems": [[p.code, p.message] for p in problems]}
    return _record(session, business, kind=INVOICE_PROBLEM, key=f"m{inbound.id}.{filename}", payload=payload,
                   invoice_id=invoice_id, inbound_id=inbound.id, now=now, letters=letters)


def notify_business(session: Session, business: Business, notice: Notice, *, now: datetime,
                    letters: LetterSettings, invoice_id: int | None = None, debtor_id: int | None = None,
                    inbound_id: int | None = None) -> OutboundMessage | None:
    """Something for the business to fix, told once per `notice.key`."""
    payload = {"title": notice.title, "message": notice.message, "action": notice.action, "api": notice.api,
               "debtor_id": debtor_id}
    # The kind is the key's first part ("unreachable", "general-missing", ...): like things coalesce.
    return _record(session, business, kind=f"{BUSINESS}:{notice.key.split('.')[0]}"[:60], key=notice.key,
                   payload=payload, invoice_id=invoice_id, inbound_id=inbound_id, now=now, letters=letters)


def flush_notices(session: Session, now: datetime, letters: LetterSettings) -> int:
    """Send what waited because a notice of its kind went out less than an hour ago; returns notices recorded.

    Called on every ingest pass (and fit for the tick): a waiting item leaves within an hour of its predecessor.
    """
    waiting = session.execute(select(NoticeItem.business_id, NoticeItem.kind)
                              .where(NoticeItem.outbound_message_id.is_(None)).distinct()).all()
    recorded = 0
    for business_id, kind in waiting:
        last = _latest(session, business_id, kind)
        if last is None or last.created_at <= now - COALESCE_WINDOW:
            recorded += _send_waiting(session, session.get_one(Business, business_id), kind, now, letters) is not None
    return recorded


def _record(session: Session, business: Business, *, kind: str, key: str, payload: dict[str, Any],
            invoice_id: int | None, inbound_id: int | None, now: datetime,
            letters: LetterSettings) -> OutboundMessage | None:
    """Record (not send) the notice in the caller's transaction; the tick's sweep enqueues it.

    Once only per key. Within the hour after a notice of this kind, a new item joins it while it is still
    unsent, and otherwise waits for `flush_notices`. A notice that cannot be rendered is shunted to a failed
    outbox row and the review queue: it never blocks what caused it, and is never dropped silently.
    """
    key = key[:300]
    if session.scalar(select(NoticeItem.id).where(NoticeItem.business_id == business.id, NoticeItem.key == key)):
        return None
    session.add(NoticeItem(business_id=business.id, kind=kind, key=key, payload=payload,
                           inbound_message_id=inbound_id, invoice_id=invoice_id, created_at=now))
    session.flush()
    last = _latest(session, business.id, kind)
    if last is not None and last.created_at > now - COALESCE_WINDOW:
        return last if last.status == "pending" and _refill(session, business, last, kind, now, letters) else None
    return _send_waiting(session, business, kind, now, letters)


def _step(kind: str) -> str:
    return ":".join(kind.split(":")[:2])  # notice:business:<what> is sent as step notice:business


def _latest(session: Session, business_id: int, kind: str) -> OutboundMessage | None:
    return session.scalars(
        select(OutboundMessage).join(NoticeItem, NoticeItem.outbound_message_id == OutboundMessage.id)
        .where(NoticeItem.business_id == business_id, NoticeItem.kind == kind)
        .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc()).limit(1)).first()


def _waiting(session: Session, business_id: int, kind: str) -> list[NoticeItem]:
    return list(session.scalars(select(NoticeItem).where(
        NoticeItem.business_id == business_id, NoticeItem.kind == kind,
        NoticeItem.outbound_message_id.is_(None)).order_by(NoticeItem.id)))


def _send_waiting(session: Session, business: Business, kind: str, now: datetime,
                  letters: LetterSettings) -> OutboundMessage | None:
    items = _waiting(session, business.id, kind)
    if not items:
        return None
    first = items[0]
    try:
        letter = _compose(business, kind, items, now, letters)
    except Exception as exc:
        return _shunt_unrendered(session, business, kind, items, now, exc)
    earlier = session.scalars(select(OutboundMessage).where(OutboundMessage.message_id == letter.message_id)).first()
    if earlier is not None:  # told before notices had items (the Message-ID is deterministic): once only
        for item in items:
            item.outbound_message_id = earlier.id
        return None
    row = record_outbound(session, business_id=business.id, debtor_id=first.payload.get("debtor_id"), invoices=(),
                          step=_step(kind), letter=letter, now=now, invoice_id=first.invoice_id)
    for item in items:
        item.outbound_message_id = row.id
    record_event(session, EventKind.BUSINESS_NOTIFIED, at=now, business_id=business.id, invoice_id=first.invoice_id,
                 debtor_id=first.payload.get("debtor_id"), inbound_message_id=first.inbound_message_id,
                 outbound_message_id=row.id, subject=row.subject, notice=kind, items=[i.key for i in items],
                 **_event_data(first.payload))
    return row


def _refill(session: Session, business: Business, last: OutboundMessage, kind: str, now: datetime,
            letters: LetterSettings) -> bool:
    """Re-render the unsent notice with the new items; False when it was claimed for sending meanwhile."""
    items = list(session.scalars(select(NoticeItem).where(NoticeItem.outbound_message_id == last.id)
                                 .order_by(NoticeItem.id))) + _waiting(session, business.id, kind)
    try:
        letter = _compose(business, kind, items, now, letters)
    except Exception:
        log.exception("%s notice for business %s could not be re-rendered; the new items wait", kind, business.id)
        return False
    changed = session.execute(update(OutboundMessage).where(
        OutboundMessage.id == last.id, OutboundMessage.status == "pending").values(
        subject=letter.subject, raw=letter.message.as_bytes()).execution_options(synchronize_session="fetch"))
    if not changed.rowcount:  # type: ignore[attr-defined]
        return False
    for item in items:
        item.outbound_message_id = last.id
    return True


def _compose(business: Business, kind: str, items: list[NoticeItem], now: datetime,
             letters: LetterSettings) -> ComposedLetter:
    """One item: its own letter. Several: one letter listing them, under the first item's Message-ID."""
    first = items[0].payload
    key = items[0].key
    if kind == INVOICE_PROBLEM and len(items) == 1:
        return compose_invoice_problem(
            business=business, filename=first["filename"], received_at=datetime.fromisoformat(first["received_at"]),
            subject=first["subject"], sender=first["sender"], key=key, now=now, letters=letters,
            problems=[DocumentProblem(code, message) for code, message in first["problems"]])
    if kind == INVOICE_PROBLEM:
        title, action = invoice_problem_words(business.language)
        notice = combined_notice(business.language, key, [title], [_problem_line(i.payload) for i in items],
                                 action, "GET /review")
    elif len(items) == 1:
        notice = Notice(key, first["title"], first["message"], first["action"], first["api"])
    else:
        notice = combined_notice(business.language, key, [first["title"]],
                                 [f"{i.payload['title']}: {i.payload['message']}" for i in items],
                                 first["action"], first["api"])
    return compose_business_notice(business=business, title=notice.title, message=notice.message,
                                   action=notice.action, key=notice.key, now=now, letters=letters, api=notice.api)


def _event_data(payload: dict[str, Any]) -> dict[str, Any]:
    """What the timeline said of a notice before notices coalesced: the file and its problems, or the title."""
    if "filename" in payload:
        return {"filename": payload["filename"], "problems": [message for _code, message in payload["problems"]]}
    return {"title": payload["title"]}


def _problem_line(payload: dict[str, Any]) -> str:
    what = "; ".join(message for _code, message in payload["problems"]) or "-"
    return f"{payload['filename']} ({payload['subject'] or '-'}, {payload['sender'] or '-'}, " \
           f"{payload['received_at'][:10]}): {what}"


def _shunt_unrendered(session: Session, business: Business, kind: str, items: list[NoticeItem], now: datetime,
                      exc: Exception) -> OutboundMessage:
    """Keep a notice that failed to render as a failed outbox row, visible in the review queue."""
    log.exception("%s notice for business %s could not be rendered; shunted to review", kind, business.id)
    first = items[0]
    reason = f"the notice could not be rendered: {type(exc).__name__}: {exc}"[:2000]
    row = OutboundMessage(
        business_id=business.id, debtor_id=first.payload.get("debtor_id"), invoice_id=first.invoice_id,
        step=_step(kind),
        message_id=f"<unrendered.b{business.id}.n{first.id}@notice>", to_addresses=[business.from_address],
        cc_addresses=[], subject=str(first.payload.get("title") or first.payload.get("filename") or kind),
        raw=b"", status="failed", attempts=0, last_error=reason, created_at=now)
    session.add(row)
    session.flush()
    for item in items:
        item.outbound_message_id = row.id
    record_event(session, EventKind.LETTER_FAILED, at=now, business_id=business.id, invoice_id=first.invoice_id,
                 debtor_id=first.payload.get("debtor_id"), inbound_message_id=first.inbound_message_id,
                 outbound_message_id=row.id, reason=reason, notice=kind, items=[i.key for i in items],
                 **_event_data(first.payload))
    return row
