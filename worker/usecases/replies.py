"""Handle what comes back from debtors: human replies, automatic replies and bounces."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mailer.auto_reply import auto_reply_reason
from mailer.bounce import detect_bounce
from mailer.message import InboundMessage as ParsedMail
from mailer.reply_token import tokens_in
from worker.db.models import Debtor, InboundMessage, Invoice, OutboundMessage
from worker.domain.events import EventKind
from worker.domain.matching import Candidate, Match, match_message
from worker.domain.status import InvoiceStatus
from worker.usecases.quarantine import Quarantined
from worker.usecases.timeline import record_event

# Words that could be invoice numbers: at least one digit, 3-40 characters of the usual alphabet.
_NUMBER_LIKE = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9\-/._]{1,38}[A-Za-z0-9](?![\w-])")
_ACTIVE = (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.HANDED_OFF.value)


@dataclass(frozen=True)
class ReplyOutcome:
    kind: str
    match: Match


def handle_debtor_mail(session: Session, inbound: InboundMessage, mail: ParsedMail, *, now: datetime) -> ReplyOutcome:
    """Classify, match to invoices and act; raise Quarantined when no invoice can be chosen safely."""
    bounce = detect_bounce(inbound.raw)  # bounces first: MTAs mark DSNs Auto-Submitted too
    kind = "bounce" if bounce else ("auto_reply" if auto_reply_reason(mail) else "reply")
    failed = [a.lower() for a in bounce.failed_recipients] if bounce else []
    found = match_message(_evidence(session, mail, failed))
    if not isinstance(found, Match):
        raise Quarantined(f"{kind.replace('_', ' ')} not matched to an invoice: {found.reason}")
    inbound.business_id = found.business_id
    for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(found.invoice_ids))):
        _act(session, kind, invoice, inbound, mail, failed, found.rule, now)
    return ReplyOutcome(kind, found)


def _act(
    session: Session, kind: str, invoice: Invoice, inbound: InboundMessage, mail: ParsedMail,
    failed: list[str], rule: str, now: datetime,
) -> None:
    common = dict(at=now, business_id=invoice.business_id, invoice_id=invoice.id, debtor_id=invoice.debtor_id,
                  inbound_message_id=inbound.id, matched_by=rule, subject=mail.subject)
    if kind == "bounce":
        debtor = session.get(Debtor, invoice.debtor_id)
        if debtor is not None and debtor.contact_email in failed:
            # The next message goes to the general address instead (see the letter addressing).
            debtor.contact_undeliverable = True
        record_event(session, EventKind.BOUNCE_RECEIVED, failed_recipients=failed, **common)
    elif kind == "auto_reply":
        # An out-of-office is not an answer: the ladder goes on.
        record_event(session, EventKind.AUTO_REPLY_RECEIVED, reason=auto_reply_reason(mail), **common)
    else:
        record_event(session, EventKind.REPLY_RECEIVED, sender=mail.from_address, excerpt=mail.text[:500], **common)
        if invoice.status == InvoiceStatus.OPEN.value:
            invoice.status = InvoiceStatus.PAUSED.value
            invoice.status_reason = (
                f"reply from {mail.from_address} on {now.date().isoformat()}: a person should read it")


def _evidence(session: Session, mail: ParsedMail, failed: list[str]) -> dict[str, list[Candidate]]:
    def candidates(query) -> list[Candidate]:  # type: ignore[no-untyped-def]
        return [Candidate(i, b) for i, b in session.execute(query)]

    base = select(Invoice.id, Invoice.business_id)
    evidence: dict[str, list[Candidate]] = {}
    tokens = tokens_in([*mail.to, *mail.cc, *mail.delivered_to])
    if tokens:
        evidence["reply_token"] = candidates(base.where(Invoice.reply_token.in_(tokens)))
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    if ids:
        evidence["in_reply_to"] = candidates(
            base.join(OutboundMessage, OutboundMessage.invoice_id == Invoice.id)
            .where(OutboundMessage.message_id.in_(ids))
        )
    words = set(_NUMBER_LIKE.findall(f"{mail.subject}\n{mail.text}"))
    words = {w for w in words if any(ch.isdigit() for ch in w)}
    if words:
        evidence["invoice_number"] = candidates(
            base.where(Invoice.number.in_(words), Invoice.status.in_(_ACTIVE))
        )
    senders = [a for a in [*(failed or []), (mail.from_address or "").lower()] if a]
    if senders:
        evidence["sender_address"] = candidates(
            base.join(Debtor, Debtor.id == Invoice.debtor_id)
            .where(or_(Debtor.contact_email.in_(senders), Debtor.general_email.in_(senders)))
            .where(Invoice.status.in_(_ACTIVE))
        )
    return evidence
