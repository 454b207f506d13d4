"""Handle what comes back from debtors: replies with their intent, auto-replies, bounces, remittance advice."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mailer.message import InboundMessage as ParsedMail
from mailer.reply_token import tokens_in
from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, InboundMessage, Invoice, OutboundInvoice, OutboundMessage
from worker.domain.events import EventKind
from worker.domain.matching import Candidate, Match, match_message
from worker.domain.status import InvoiceStatus
from worker.usecases.debtor_language import learn_reply_language
from worker.usecases.invoice_copy import send_invoice_copy
from worker.usecases.notice_texts import contact_unreachable
from worker.usecases.notices import notify_business
from worker.usecases.payments import PaymentRejected, record_payment
from worker.usecases.quarantine import Quarantined
from worker.usecases.reported_payments import report_payment
from worker.usecases.tenancy import DebtorMail
from worker.usecases.timeline import record_event

# Words that could be invoice numbers: at least one digit, 3-40 characters of the usual alphabet.
_NUMBER_LIKE = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9\-/._]{1,38}[A-Za-z0-9](?![\w-])")
_MAX_NUMBER_CANDIDATES = 500  # a long forwarded thread must not become a giant IN (...) query
_ACTIVE = (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.HANDED_OFF.value)
# Below this the reader is unsure what the person wants: a person decides instead.
MIN_INTENT_CONFIDENCE = 0.7


@dataclass(frozen=True)
class ReplyOutcome:
    kind: str
    match: Match


@dataclass(frozen=True)
class Incoming:
    """One inbound message being acted on, with what acting needs."""

    session: Session
    inbound: InboundMessage
    mail: ParsedMail
    now: datetime
    letters: LetterSettings | None


def handle_debtor_mail(session: Session, inbound: InboundMessage, mail: ParsedMail, found_kind: dict[str, Any], *,
                       tie: DebtorMail, sender_proven: bool, now: datetime,
                       letters: LetterSettings | None = None) -> ReplyOutcome:
    """Match to invoices of the one business the message is tied to and act; Quarantined when none fits.

    `found_kind` is `classify_message`'s verdict; `sender_proven` says whether the trusted MTA authenticated
    the From domain (it decides whether a remittance advice may be booked as money).
    """
    business = tie.business
    kind = "reply" if found_kind["kind"] == "invoice" else found_kind["kind"]  # a debtor sending an invoice back
    failed = [a.lower() for a in found_kind["failed_recipients"]]
    numbers = [*found_kind["invoice_numbers"], *(line["invoice_number"] for line in found_kind["remittance_lines"])]
    found = match_message(_evidence(session, business.id, tie.references, mail, failed, numbers))
    if not isinstance(found, Match):
        raise Quarantined(f"{kind.replace('_', ' ')} not matched to an invoice of {business.name} "
                          f"(tied by {tie.rule.replace('_', ' ')}): {found.reason}", business.id)
    invoices = list(session.scalars(select(Invoice).where(Invoice.id.in_(found.invoice_ids)).order_by(Invoice.id)))
    incoming = Incoming(session, inbound, mail, now, letters)
    if kind == "remittance":
        trusted = sender_proven and bool(business.settings.get("trust_authenticated_remittance"))
        record_remittance(incoming, business, invoices, found_kind["remittance_lines"], found.rule, trusted)
    else:
        for invoice in invoices:
            act_on_message(incoming, kind, found_kind, invoice, failed, found.rule)
    return ReplyOutcome(kind, found)


def act_on_message(incoming: Incoming, kind: str, found: dict[str, Any], invoice: Invoice, failed: list[str],
                   rule: str) -> None:
    """Act on a message matched (or assigned from the review queue) to `invoice`, by what it was read as."""
    session = incoming.session
    common: dict[str, Any] = dict(
        at=incoming.now, business_id=invoice.business_id, invoice_id=invoice.id, debtor_id=invoice.debtor_id,
        inbound_message_id=incoming.inbound.id, matched_by=rule, subject=incoming.mail.subject)
    if kind == "bounce":
        debtor = session.get_one(Debtor, invoice.debtor_id)
        if debtor.contact_email in failed:
            # The next message goes to the general address instead (see the letter addressing).
            _contact_unreachable(incoming, invoice, debtor, "bounce")
        record_event(session, EventKind.BOUNCE_RECEIVED, failed_recipients=failed, **common)
    elif kind == "auto_reply":
        # An out-of-office is not an answer: the ladder goes on.
        record_event(session, EventKind.AUTO_REPLY_RECEIVED, **common)
    elif kind == "other":
        record_event(session, EventKind.OTHER_MAIL_RECEIVED, **common)
    else:
        _act_on_reply(incoming, found, invoice, common)


def _contact_unreachable(incoming: Incoming, invoice: Invoice, debtor: Debtor, why: str) -> None:
    """From now on the general address, with nobody in CC; the business hears it once, to give a new contact."""
    debtor.contact_undeliverable = True
    if incoming.letters is None:
        return
    business = incoming.session.get_one(Business, invoice.business_id)
    notice = contact_unreachable(business.language, debtor.id, debtor.name or debtor.contact_email,
                                 debtor.contact_email, why)
    notify_business(incoming.session, business, notice, now=incoming.now, letters=incoming.letters,
                    invoice_id=invoice.id, debtor_id=debtor.id, inbound_id=incoming.inbound.id)


def _act_on_reply(incoming: Incoming, found: dict[str, Any], invoice: Invoice, common: dict[str, Any]) -> None:
    """What the domain notes prescribe per intent; anything unsure or unusual goes to a person."""
    session, mail, now = incoming.session, incoming.mail, incoming.now
    intent, text = found["intent"], found["reply_text"] or ""
    record_event(session, EventKind.REPLY_RECEIVED, sender=mail.from_address, intent=intent,
                 confidence=found["confidence"], excerpt=text[:500], **common)
    # A reply in another language than our letters means letters in that language from now on.
    learn_reply_language(session, session.get_one(Debtor, invoice.debtor_id), text, now=now, invoice_id=invoice.id)
    sure = found["confidence"] >= MIN_INTENT_CONFIDENCE
    promised = date.fromisoformat(found["promised_date"]) if found["promised_date"] else None
    if intent == "promise_to_pay" and sure and promised is not None:
        # The ladder stays on but holds until the promised date plus grace (worker.domain.holds).
        record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, promised_date=promised.isoformat(), **common)
        return
    if intent == "wrong_contact" and sure:
        debtor = session.get_one(Debtor, invoice.debtor_id)
        record_event(session, EventKind.CONTACT_MARKED_WRONG, contact=debtor.contact_email, **common)
        _contact_unreachable(incoming, invoice, debtor, "wrong_contact")
        return
    if intent == "copy_request" and sure and incoming.letters is not None:
        if send_invoice_copy(session, invoice, incoming.inbound, now=now, letters=incoming.letters) is not None:
            return  # the copy answers the question; the ladder goes on
    if invoice.status not in (InvoiceStatus.OPEN.value, InvoiceStatus.HANDED_OFF.value):
        return
    if intent == "paid" and sure:
        # A claim is not money: it holds the ladder for a grace period and finance checks the bank.
        lines = {str(x["invoice_number"]).lower(): x for x in found.get("remittance_lines", [])}
        line = lines.get(invoice.number.lower())
        report_payment(session, session.get_one(Business, invoice.business_id), invoice,
                       amount=_amount(line), reported_on=now.date(), source="reply",
                       sender=mail.from_address, inbound_id=incoming.inbound.id, matched_by=common["matched_by"],
                       now=now)
        return
    if intent == "dispute" and sure:
        invoice.status, invoice.status_reason = InvoiceStatus.DISPUTED.value, f"disputed by the customer: {text[:300]}"
        return
    reasons = {
        "copy_request": "the customer asks for a copy of the invoice",
        "payment_plan_request": "the customer asks for a payment plan (cannot pay): propose one",
    }
    reason = reasons.get(intent) if sure else None
    invoice.status = InvoiceStatus.PAUSED.value
    invoice.status_reason = reason or (
        f"reply from {mail.from_address} on {now.date().isoformat()}: a person should read it")


def _amount(line: dict[str, Any] | None) -> Decimal | None:
    try:
        return Decimal(str(line["amount"])) if line else None
    except (InvalidOperation, TypeError):
        return None


def _known_payer(session: Session, invoice: Invoice, sender: str | None) -> bool:
    """The sender is the debtor's contact or general address, or writes from the debtor's own domain."""
    debtor = session.get_one(Debtor, invoice.debtor_id)
    sender = (sender or "").lower()
    known = {a.lower() for a in (debtor.contact_email, debtor.general_email) if a}
    return bool(sender) and (sender in known or sender.rpartition("@")[2] in {a.rpartition("@")[2] for a in known})


def record_remittance(incoming: Incoming, business: Business, invoices: list[Invoice],
                      lines: list[dict[str, Any]], rule: str, trusted: bool) -> None:
    """Each line naming a matched invoice is a reported payment; booked as money only from a trusted payer.

    Trusted means: the business enabled it, the receiving MTA authenticated the sender's domain, and the
    sender is the debtor's known contact or domain. The rest waits for a person.
    """
    session, inbound, now = incoming.session, incoming.inbound, incoming.now
    by_number = {i.number.lower(): i for i in invoices}
    unmatched = []
    for line in lines:
        invoice = by_number.get(str(line["invoice_number"]).lower())
        amount = _amount(line)
        if invoice is None or amount is None:
            unmatched.append(line)
            continue
        if trusted and _known_payer(session, invoice, incoming.mail.from_address):
            try:
                record_payment(session, invoice, amount, paid_on=None, now=now, source="remittance",
                               note=f"authenticated remittance advice (inbound message {inbound.id})")
                continue
            except PaymentRejected as exc:
                unmatched.append({**line, "reason": str(exc)})
                continue
        report_payment(session, business, invoice, amount=amount, reported_on=now.date(), source="remittance advice",
                       sender=incoming.mail.from_address, inbound_id=inbound.id, matched_by=rule, now=now)
    if unmatched or not lines:
        inbound.reason = f"remittance lines for a person to check: {unmatched or 'none could be read'}"
        record_event(session, EventKind.REMITTANCE_NEEDS_REVIEW, at=now, business_id=business.id,
                     inbound_message_id=inbound.id, matched_by=rule, lines=[str(x) for x in unmatched])


def _evidence(session: Session, business_id: int, references: tuple[str, ...], mail: ParsedMail, failed: list[str],
              numbers: list[str]) -> dict[str, list[Candidate]]:
    """Candidates by each rule, only among the invoices of the business the message is tied to."""
    def candidates(query) -> list[Candidate]:  # type: ignore[no-untyped-def]
        return [Candidate(i, b) for i, b in session.execute(query)]

    base = select(Invoice.id, Invoice.business_id).where(Invoice.business_id == business_id)
    evidence: dict[str, list[Candidate]] = {}
    tokens = tokens_in([*mail.to, *mail.cc, *mail.delivered_to])
    if tokens:
        evidence["reply_token"] = candidates(base.where(Invoice.reply_token.in_(tokens)))
    ids = list(references)
    if ids:
        evidence["in_reply_to"] = candidates(
            base.join(OutboundInvoice, OutboundInvoice.invoice_id == Invoice.id)
            .join(OutboundMessage, OutboundMessage.id == OutboundInvoice.outbound_message_id)
            .where(OutboundMessage.message_id.in_(ids))
        )
    words = {w for w in _NUMBER_LIKE.findall(f"{mail.subject}\n{mail.text}") if any(ch.isdigit() for ch in w)}
    words = set(list(words | set(numbers))[:_MAX_NUMBER_CANDIDATES])
    if words:
        evidence["invoice_number"] = candidates(base.where(Invoice.number.in_(words), Invoice.status.in_(_ACTIVE)))
    senders = [a for a in [*failed, (mail.from_address or "").lower()] if a]
    if senders:
        evidence["sender_address"] = candidates(
            base.join(Debtor, Debtor.id == Invoice.debtor_id)
            .where(or_(Debtor.contact_email.in_(senders), Debtor.general_email.in_(senders)))
            .where(Invoice.status.in_(_ACTIVE))
        )
    return evidence
