"""Route one stored inbound message: a business's invoice, a debtor's answer, or quarantine."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailer.message import MalformedMessage, parse_message
from worker.adapters.letters import DocumentProblem, LetterSettings
from worker.db.models import Business, InboundMessage
from worker.usecases.businesses import sender_is_allowed
from worker.usecases.invoice_intake import accept_invoice_mail
from worker.usecases.notices import notify_invoice_problem
from worker.usecases.quarantine import InvoiceUnusable, Quarantined
from worker.usecases.replies import handle_debtor_mail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: `processed` or `quarantined`, with the reason for the latter."""

    inbound_id: int
    status: str
    kind: str | None
    reason: str | None = None


def process_inbound(sessions: sessionmaker[Session], inbound_id: int, *, letters: LetterSettings,
                    now: datetime) -> Outcome:
    """Process a stored message once; any failure quarantines it with a reason and never loses it."""
    with sessions.begin() as session:
        row = session.get(InboundMessage, inbound_id)
        if row is None:
            raise LookupError(f"inbound message {inbound_id} does not exist")
        if row.status != "stored":
            return Outcome(row.id, row.status, row.kind, row.reason)
    try:
        with sessions.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            assert row is not None
            kind = _route(session, row, letters, now)
            row.status, row.kind, row.processed_at = "processed", kind, now
            return Outcome(row.id, "processed", kind)
    except InvoiceUnusable as q:
        return _quarantine(sessions, inbound_id, q.reason, q.business_id, now, notify=(q.problems, letters))
    except Quarantined as q:
        return _quarantine(sessions, inbound_id, q.reason, q.business_id, now)
    except Exception as exc:  # a bug or bad input must not stop the worker: keep the message for review
        log.exception("processing inbound message %s failed", inbound_id)
        return _quarantine(sessions, inbound_id, f"internal error while processing: {exc!r}", None, now)


def _route(session: Session, row: InboundMessage, letters: LetterSettings, now: datetime) -> str:
    try:
        mail = parse_message(row.raw)
    except MalformedMessage as exc:
        raise Quarantined(f"malformed e-mail: {exc.reason}") from exc
    row.from_address = (mail.from_address or "")[:320] or None
    row.subject = mail.subject
    business = _business_for(session, mail)
    if business is not None:
        row.business_id = business.id
        if sender_is_allowed(business, mail.from_address):
            accept_invoice_mail(session, business, row, mail, service_address=letters.service_address, now=now,
                                letters=letters)
            return "invoice"
    try:
        return handle_debtor_mail(session, row, mail, now=now, letters=letters).kind
    except Quarantined as q:
        if business is not None:
            raise Quarantined(
                f"sender {mail.from_address} is not on the sender list of {business.name} "
                f"and the message matches no invoice ({q.reason})", business.id) from q
        raise Quarantined(f"unknown sender {mail.from_address}: {q.reason}") from q


def _business_for(session: Session, mail) -> Business | None:  # type: ignore[no-untyped-def]
    """The business a message is for: its own ingest address among the recipients, else its sender list."""
    recipients = {a.lower() for a in [*mail.to, *mail.cc, *mail.delivered_to]}
    if recipients:
        by_address = session.scalars(select(Business).where(Business.ingest_address.in_(recipients))).first()
        if by_address is not None:
            return by_address
    for business in session.scalars(select(Business)):
        if sender_is_allowed(business, mail.from_address):
            return business
    return None


def _quarantine(sessions: sessionmaker[Session], inbound_id: int, reason: str, business_id: int | None,
                now: datetime, notify: tuple[dict[str, list[tuple[str, str]]], LetterSettings] | None = None,
                ) -> Outcome:
    with sessions.begin() as session:
        row = session.get(InboundMessage, inbound_id)
        assert row is not None
        row.status, row.reason, row.processed_at = "quarantined", reason, now
        row.business_id = row.business_id or business_id
        try:  # the routing transaction was rolled back; keep who sent it and about what for the reviewer
            mail = parse_message(row.raw)
            row.from_address, row.subject = (mail.from_address or "")[:320] or None, mail.subject
        except MalformedMessage:
            pass
        if notify is not None and row.business_id is not None:
            problems, letters = notify
            business = session.get_one(Business, row.business_id)
            for filename, found in problems.items():
                notify_invoice_problem(session, business, row, filename=filename, invoice_id=None, now=now,
                                       letters=letters,
                                       problems=[DocumentProblem(code, message) for code, message in found])
        return Outcome(row.id, "quarantined", row.kind, reason)
