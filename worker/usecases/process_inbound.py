"""Route one stored inbound message: a business's invoice, a debtor's answer, or quarantine."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from mailer.authentication import sender_proof
from mailer.message import MalformedMessage, parse_message
from mailer.sent_copies import is_sent_copy
from worker.adapters.letters import DocumentProblem, LetterSettings
from worker.db.models import Business, InboundMessage
from worker.usecases.bank_statement_mail import has_statement, import_mailed_statements
from worker.usecases.classify import classify_message
from worker.usecases.invoice_intake import accept_invoice_mail
from worker.usecases.notices import notify_invoice_problem
from worker.usecases.quarantine import InvoiceUnusable, Quarantined
from worker.usecases.replies import handle_debtor_mail
from worker.usecases.tenancy import UNPROVEN_KIND, Unproven, claimed_owner, debtor_mail_tie, ingest_owner

log = logging.getLogger(__name__)
SENT_COPY_KIND = "sent_copy"


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: `processed` or `quarantined`, with the reason for the latter."""

    inbound_id: int
    status: str
    kind: str | None
    reason: str | None = None


def process_inbound(sessions: sessionmaker[Session], inbound_id: int, *, letters: LetterSettings,
                    now: datetime, authserv_id: str | None = None) -> Outcome:
    """Process a stored message once; any failure quarantines it with a reason and never loses it.

    `authserv_id` names the receiving MTA whose Authentication-Results are trusted (DUNNING_AUTHSERV_ID).
    """
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
            kind = _route(session, row, letters, now, authserv_id)
            row.status, row.kind, row.processed_at = "processed", kind, now
            return Outcome(row.id, "processed", kind)
    except InvoiceUnusable as q:
        return _quarantine(sessions, inbound_id, q.reason, q.business_id, now, notify=(q.problems, letters))
    except Unproven as q:
        return _quarantine(sessions, inbound_id, q.reason, q.business_id, now, kind=UNPROVEN_KIND)
    except Quarantined as q:
        return _quarantine(sessions, inbound_id, q.reason, q.business_id, now)
    except Exception as exc:  # a bug or bad input must not stop the worker: keep the message for review
        log.exception("processing inbound message %s failed", inbound_id)
        return _quarantine(sessions, inbound_id, f"internal error while processing: {exc!r}", None, now)


def _route(session: Session, row: InboundMessage, letters: LetterSettings, now: datetime,
           authserv_id: str | None) -> str:
    """Tie the message to one business first, then act inside that business only (DESIGN.md section 4)."""
    try:
        mail = parse_message(row.raw)
    except MalformedMessage as exc:
        raise Quarantined(f"malformed e-mail: {exc.reason}") from exc
    row.from_address = (mail.from_address or "")[:320] or None
    row.subject = mail.subject
    if is_sent_copy(mail.message_id, mail.delivered_to, letters.message_id_domain, letters.sent_copy_address):
        return SENT_COPY_KIND  # the server's copy of our own letter: filed in Sent by ingest, nothing to act on
    own = ingest_owner(session, mail)
    found_kind = None
    if own is None:
        # A reply to our own message is the debtor's, even when the debtor is itself a business we serve.
        found_kind = classify_message(row.raw, now.date())
        tie = debtor_mail_tie(session, row.raw, mail, letters.service_address,
                              bounce=found_kind["kind"] == "bounce")
        if tie is not None:
            row.business_id = tie.business.id
            proof = sender_proof(mail.headers.get("authentication-results", []), authserv_id, mail.from_address)
            try:
                return handle_debtor_mail(session, row, mail, found_kind, tie=tie,
                                          sender_proven=proof.proven, now=now, letters=letters).kind
            except Quarantined as q:
                raise Quarantined(q.reason, tie.business.id) from q
        own = claimed_owner(session, mail, authserv_id)
    if own is None:
        assert found_kind is not None
        kind = found_kind["kind"].replace("_", " ")
        raise Quarantined(f"unknown sender {mail.from_address or '(none)'}: a {kind} with no reply token and no "
                          "reference to a message of ours, so it is tied to no business and matched to no invoice")
    row.business_id = own.business.id
    if has_statement(mail):  # the business forwarded its bank statement: payments, not an invoice
        return import_mailed_statements(session, own.business, row, mail, now=now, letters=letters)
    accept_invoice_mail(session, own.business, row, mail, service_address=letters.service_address, now=now,
                        letters=letters)
    return "invoice"


def _quarantine(sessions: sessionmaker[Session], inbound_id: int, reason: str, business_id: int | None,
                now: datetime, notify: tuple[dict[str, list[tuple[str, str]]], LetterSettings] | None = None,
                kind: str | None = None) -> Outcome:
    with sessions.begin() as session:
        row = session.get(InboundMessage, inbound_id)
        assert row is not None
        row.status, row.reason, row.processed_at = "quarantined", reason, now
        row.kind = kind or row.kind
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
