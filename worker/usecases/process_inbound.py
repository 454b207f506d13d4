"""Route one stored inbound message: a business's invoice, a debtor's answer, or quarantine; never block on it."""

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from mailer.authentication import sender_proof
from mailer.message import MalformedMessage, parse_message
from mailer.sent_copies import is_sent_copy
from worker.adapters.letters import DocumentProblem, LetterSettings
from worker.db.models import Business, InboundMessage
from worker.domain.events import EventKind
from worker.usecases.bank_statement_mail import has_statement, import_mailed_statements
from worker.usecases.classify import classify_message
from worker.usecases.inbound_faults import Fault, classify, describe, retry_delay
from worker.usecases.invoice_intake import accept_invoice_mail
from worker.usecases.notice_texts import inbound_failed
from worker.usecases.notices import notify_business, notify_invoice_problem
from worker.usecases.quarantine import InvoiceUnusable, Quarantined
from worker.usecases.replies import handle_debtor_mail
from worker.usecases.tenancy import UNPROVEN_KIND, Unproven, claimed_owner, debtor_mail_tie, ingest_owner
from worker.usecases.timeline import record_event
from worker.usecases.unreadable_mail import attachment_names, ingest_address_owner, plain_headers

log = logging.getLogger(__name__)
SENT_COPY_KIND = "sent_copy"

# A message whose processing hits a bug is tried this often before it is shunted to `failed`.
DEFAULT_MAX_ATTEMPTS = 3
FINAL = ("processed", "quarantined", "failed")


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: `processed`, `quarantined`, `failed` (a bug, after retries) or `pending`
    (to be retried: a transient error, or a bug before its last attempt), with the reason for all but the first."""

    inbound_id: int
    status: str
    kind: str | None
    reason: str | None = None


def process_inbound(sessions: sessionmaker[Session], inbound_id: int, *, letters: LetterSettings,
                    now: datetime, authserv_id: str | None = None,
                    max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Outcome:
    """Process a stored message once. Bad input is quarantined with its reason; a transient failure (database,
    network, lock) leaves it pending with a back-off; a bug is retried and after `max_attempts` shunted to
    `failed` with its traceback, the business (or, for mail of no known business, the operator) told.

    `authserv_id` names the receiving MTA whose Authentication-Results are trusted (DUNNING_AUTHSERV_ID).
    """
    try:
        # One transaction reads the row and routes it: the check and the work share one read of the raw bytes.
        with sessions.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise _NoSuchMessage(f"inbound message {inbound_id} does not exist")
            if row.status != "stored":
                return Outcome(row.id, row.status, row.kind, row.reason)
            if row.next_attempt_at is not None and row.next_attempt_at > now:
                return Outcome(row.id, "pending", row.kind, row.reason)
            kind = _route(session, row, letters, now, authserv_id)
            row.status, row.kind, row.processed_at = "processed", kind, now
            row.next_attempt_at, row.reason = None, None
            _note_reused_message_id(session, row, now)
            return Outcome(row.id, "processed", kind)
    except _NoSuchMessage:
        raise
    except InvoiceUnusable as q:
        return _quarantine_safely(sessions, inbound_id, q.reason, q.business_id, now, notify=(q.problems, letters))
    except Unproven as q:
        return _quarantine_safely(sessions, inbound_id, q.reason, q.business_id, now, kind=UNPROVEN_KIND)
    except Quarantined as q:
        return _quarantine_safely(sessions, inbound_id, q.reason, q.business_id, now,
                                  notify=None if q.business_id else _unreadable(letters, q.reason))
    except Exception as exc:  # sorted by who must act; none of them may stop the messages behind this one
        fault = classify(exc)
        if fault is Fault.BAD_INPUT:
            reason = f"the e-mail could not be read: {type(exc).__name__}: {str(exc)[:500]}"
            return _quarantine_safely(sessions, inbound_id, reason, None, now, notify=_unreadable(letters, reason))
        # The frames and a short account of the error, never the SQL parameters (raw mail) of a database error.
        trace = "Traceback (most recent call last):\n" + "".join(traceback.format_tb(exc.__traceback__, limit=40)) \
            + describe(exc)
        return _retry_later(sessions, inbound_id, exc, fault, trace, now=now, letters=letters,
                            max_attempts=max_attempts)


class _NoSuchMessage(LookupError):
    """The id names no stored message: the caller's mistake, not the message's, so not quarantined."""


def _unreadable(letters: LetterSettings, reason: str) -> tuple[dict[str, list[tuple[str, str]]], LetterSettings]:
    """What to tell a business whose own mail (sent to its ingest address) could not be read: one problem per
    file it carried, coalesced into one notice; nobody is told when no ingest address ties it to a business."""
    return {"": [("unreadable_mail", reason)]}, letters


def _note_reused_message_id(session: Session, row: InboundMessage, now: datetime) -> None:
    """Say on the business's timeline that this message shares its Message-ID with an earlier, different one."""
    if row.same_message_id_as is None or row.business_id is None:
        return
    record_event(session, EventKind.MESSAGE_ID_REUSED, at=now, business_id=row.business_id,
                 inbound_message_id=row.id, earlier_inbound_message_id=row.same_message_id_as,
                 message_id=row.message_key.split("#sha256:")[0],
                 note="another message with this Message-ID and different content arrived earlier; both are kept")


def _retry_later(sessions: sessionmaker[Session], inbound_id: int, exc: Exception, fault: Fault, trace: str, *,
                 now: datetime, letters: LetterSettings, max_attempts: int) -> Outcome:
    """Count the attempt and set the next one; a bug's last attempt shunts the message to `failed`."""
    if fault is Fault.TRANSIENT:
        log.warning("inbound message %s hit a transient error; it stays pending: %s", inbound_id, describe(exc))
    else:
        log.error("processing inbound message %s failed (a bug):\n%s", inbound_id, trace)
    try:
        with sessions.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            assert row is not None
            row.attempts = (row.attempts or 0) + 1
            if fault is Fault.BUG and row.attempts >= max_attempts:
                row.status, row.processed_at, row.next_attempt_at = "failed", now, None
                row.reason = f"internal error after {row.attempts} attempts: {describe(exc)}\n\n{trace}"[:20000]
                _describe(row)
                _tell_failed(session, row, now, letters)
                return Outcome(row.id, "failed", row.kind, row.reason)
            row.next_attempt_at = now + retry_delay(row.attempts)
            row.reason = f"{fault.value} error on attempt {row.attempts}, retried after " \
                         f"{row.next_attempt_at.isoformat()}: {describe(exc)}"
            return Outcome(row.id, "pending", row.kind, row.reason)
    except Exception as again:  # the database is away: the row stays `stored` and the next pass tries again
        log.warning("could not record the failed attempt on inbound message %s: %s", inbound_id, describe(again))
        return Outcome(inbound_id, "pending", None, f"{fault.value} error: {describe(exc)}")


def _tell_failed(session: Session, row: InboundMessage, now: datetime, letters: LetterSettings) -> None:
    """The business hears of its failed message when we can tell whose it is; otherwise the operator's list has it."""
    try:
        own = ingest_owner(session, parse_message(row.raw))
    except Exception:  # noqa: BLE001 - the same bug may be in the parsing; the operator's list still has it
        own = None
    if own is None:
        log.error("inbound message %s failed and belongs to no business we can tell; it is in the operator's "
                  "quarantine list (GET /admin/quarantine)", row.id)
        return
    row.business_id = own.business.id
    notice = inbound_failed(own.business.language, row.id, row.subject, row.from_address)
    notify_business(session, own.business, notice, now=now, letters=letters, inbound_id=row.id)


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


def _quarantine_safely(sessions: sessionmaker[Session], inbound_id: int, reason: str, business_id: int | None,
                       now: datetime, notify: tuple[dict[str, list[tuple[str, str]]], LetterSettings] | None = None,
                       kind: str | None = None) -> Outcome:
    """Quarantine; if telling the business fails, quarantine without telling; if the database is away, stay
    pending. Building the entry never depends on parsing the message again."""
    try:
        return _quarantine(sessions, inbound_id, reason, business_id, now, notify, kind)
    except Exception as exc:
        if classify(exc) is Fault.TRANSIENT or notify is None:
            log.warning("could not quarantine inbound message %s; it stays pending: %s", inbound_id, describe(exc))
            return Outcome(inbound_id, "pending", kind, reason)
        log.exception("telling the business about inbound message %s failed; quarantined without a notice",
                      inbound_id)
        return _quarantine_safely(sessions, inbound_id, reason, business_id, now, None, kind)


def _quarantine(sessions: sessionmaker[Session], inbound_id: int, reason: str, business_id: int | None,
                now: datetime, notify: tuple[dict[str, list[tuple[str, str]]], LetterSettings] | None = None,
                kind: str | None = None) -> Outcome:
    with sessions.begin() as session:
        row = session.get(InboundMessage, inbound_id)
        assert row is not None
        row.status, row.reason, row.processed_at, row.next_attempt_at = "quarantined", reason, now, None
        row.kind = kind or row.kind
        row.business_id = row.business_id or business_id or _guarded_owner(session, row.raw)
        _describe(row)
        if notify is not None and row.business_id is not None:
            problems, letters = notify
            if "" in problems:  # an unreadable mail: name the files it declares, without parsing it
                problems = {name: problems[""] for name in attachment_names(row.raw) or ["(e-mail)"]}
            business = session.get_one(Business, row.business_id)
            for filename, found in problems.items():
                notify_invoice_problem(session, business, row, filename=filename, invoice_id=None, now=now,
                                       letters=letters,
                                       problems=[DocumentProblem(code, message) for code, message in found])
        return Outcome(row.id, "quarantined", row.kind, reason)


def _describe(row: InboundMessage) -> None:
    """Keep who sent it and about what for the reviewer (the routing transaction was rolled back); a message
    that cannot be parsed keeps its reason and raw bytes and simply shows no sender."""
    try:
        mail = parse_message(row.raw)
        row.from_address, row.subject = (mail.from_address or "")[:320] or None, mail.subject
        return
    except Exception:  # noqa: BLE001 - whatever broke parsing once must not break the quarantine
        pass
    try:
        headers = plain_headers(row.raw)
        row.from_address, row.subject = (headers.from_address or "")[:320] or None, headers.subject
    except Exception:  # noqa: BLE001 - the raw bytes and the reason are kept; that is enough for review
        pass


def _guarded_owner(session: Session, raw: bytes) -> int | None:
    try:
        return ingest_address_owner(session, raw)
    except Exception as exc:
        if classify(exc) is Fault.TRANSIENT:
            raise
        return None
