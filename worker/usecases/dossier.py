"""Put together the hand-off dossier of one invoice: a ZIP with the PDF summary, the invoice file and all mail.

Reproducible, not stored: every member is read from rows that are only ever added (timeline, outbox, inbound
mail, payments) up to the dossier's moment, and the ZIP and PDF carry no clock of their own, so the dossier of a
handed-off invoice (its moment is the hand-off, by default) is the same bytes whenever it is asked for.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.message import parse_message
from worker.adapters.letters import debtor_law
from worker.db.models import (
    Business,
    Debtor,
    InboundMessage,
    Invoice,
    OutboundInvoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)
from worker.domain.dossier import DossierFacts, Happening, Letter, Party, PaymentLine, summary
from worker.domain.events import EventKind
from worker.usecases.dossier_pdf import summary_pdf
from worker.usecases.letter_facts import letter_facts
from worker.usecases.timeline import record_event

_NOT_SENT = ("cancelled", "rerouted")  # never reached anybody: not part of the dossier
_INVOICE_FILES = ("application/pdf", "application/xml", "text/xml")
_HAPPENINGS = {
    EventKind.REPLY_RECEIVED.value: "reply", EventKind.PROMISE_TO_PAY_RECORDED.value: "promise",
    EventKind.CALL_RECORDED.value: "call", EventKind.NOTE_RECORDED.value: "note",
    EventKind.PAYMENT_REPORTED.value: "payment reported", EventKind.PAYMENT_PLAN_AGREED.value: "payment plan",
    EventKind.HANDED_OFF.value: "handed off", EventKind.LADDER_RESUMED.value: "ladder resumed",
    EventKind.CONTACT_MARKED_WRONG.value: "wrong contact", EventKind.BOUNCE_RECEIVED.value: "bounce",
    EventKind.AUTO_REPLY_RECEIVED.value: "auto-reply", EventKind.OTHER_MAIL_RECEIVED.value: "other mail",
}
# A zip entry's timestamp: fixed, so the bytes depend on the content only.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class NoDossier(ValueError):
    """The invoice lacks what a claim needs (amount, currency, due date); the message says what."""


@dataclass(frozen=True)
class Dossier:
    filename: str
    content: bytes
    as_of: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def dossier_moment(session: Session, invoice: Invoice, now: datetime) -> datetime:
    """The hand-off's moment once the ladder ended (the dossier it produced), else now."""
    handed = session.scalars(select(TimelineEvent.at).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.HANDED_OFF.value
    ).order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())).first()
    return handed if handed is not None and handed <= now else now


def build_dossier(session: Session, invoice: Invoice, as_of: datetime) -> Dossier:
    """The dossier as things stood at `as_of` (nothing later is in it)."""
    if invoice.amount_due is None or invoice.currency is None or invoice.due_date is None:
        raise NoDossier(f"invoice {invoice.number} lacks its amount, currency or due date; correct it first")
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    members: dict[str, bytes] = {}
    members.update(_invoice_files(session, invoice))
    letters, letter_files = _letters(session, invoice, as_of)
    members.update(letter_files)
    events = list(session.scalars(select(TimelineEvent).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.at <= as_of).order_by(TimelineEvent.at,
                                                                                    TimelineEvent.id)))
    members.update(_received(session, invoice, events))
    payments = [p for p in session.scalars(select(Payment).where(
        Payment.invoice_id == invoice.id, Payment.created_at <= as_of).order_by(Payment.created_at, Payment.id))]
    paid = sum((p.amount - p.credit if p.kind == "payment" else -(p.amount - p.credit) for p in payments),
               Decimal("0.00"))
    facts = DossierFacts(
        as_of=as_of, creditor=_creditor(business), debtor=_debtor(debtor), number=invoice.number,
        issue_date=invoice.issue_date, due_date=invoice.due_date, currency=invoice.currency,
        amount_due=invoice.amount_due, paid=paid, status=invoice.status,
        law=debtor_law(business, debtor, [invoice]),
        term_last_day=letter_facts(session, [invoice], until=as_of).term_last_day,
        letters=tuple(letters), happenings=tuple(_happenings(events)),
        payments=tuple(PaymentLine(p.paid_on, p.kind, p.amount, p.source) for p in payments),
        documents=tuple(sorted(members)))
    members["summary.pdf"] = summary_pdf(f"Dossier - invoice {invoice.number}", summary(facts))
    return Dossier(f"dossier-{_safe(invoice.number)}-{as_of.date().isoformat()}.zip", _zip(members), as_of)


def record_dossier(session: Session, invoice: Invoice, dossier: Dossier, *, by: str, now: datetime) -> None:
    """Who took the dossier, and its hash: the agency can check that the file it got is this one."""
    record_event(session, EventKind.DOSSIER_MADE, at=now, business_id=invoice.business_id, invoice_id=invoice.id,
                 debtor_id=invoice.debtor_id, by=by, as_of=dossier.as_of.isoformat(), sha256=dossier.sha256,
                 filename=dossier.filename)


def _creditor(business: Business) -> Party:
    settings = business.settings or {}
    extra = tuple(x for x in (f"IBAN {business.iban}" if business.iban else None,
                              f"KvK {settings['kvk']}" if settings.get("kvk") else None,
                              f"phone {settings['phone']}" if settings.get("phone") else None) if x)
    return Party(business.name, business.from_address, settings.get("address"), extra)


def _debtor(debtor: Debtor) -> Party:
    extra = (("consumer (private person)" if debtor.is_consumer else "business"),
             *([f"contact person: {debtor.contact_name}"] if debtor.contact_name else []),
             *([f"general e-mail: {debtor.general_email}"] if debtor.general_email else []),
             *([f"country: {debtor.country}"] if debtor.country else []))
    return Party(debtor.name or debtor.contact_email, debtor.contact_email, debtor.address, tuple(extra))


def _invoice_files(session: Session, invoice: Invoice) -> dict[str, bytes]:
    """The invoice documents attached to the mail the invoice arrived in, and that mail itself."""
    if invoice.source_message_id is None:
        return {}
    source = session.get(InboundMessage, invoice.source_message_id)
    if source is None:
        return {}
    files = {"invoice/original-mail.eml": source.raw}
    for n, attachment in enumerate(parse_message(source.raw).attachments, 1):
        if attachment.content_type in _INVOICE_FILES or attachment.filename.lower().endswith((".pdf", ".xml")):
            files[f"invoice/{n:02d}-{_safe(attachment.filename)}"] = attachment.data
    return files


def _letters(session: Session, invoice: Invoice, as_of: datetime) -> tuple[list[Letter], dict[str, bytes]]:
    rows = list(session.scalars(
        select(OutboundMessage).join(OutboundInvoice, OutboundInvoice.outbound_message_id == OutboundMessage.id)
        .where(OutboundInvoice.invoice_id == invoice.id, OutboundMessage.created_at <= as_of,
               OutboundMessage.status.not_in(_NOT_SENT)).order_by(OutboundMessage.created_at, OutboundMessage.id)))
    channels = {e.outbound_message_id: (e.data or {}).get("channel") for e in session.scalars(
        select(TimelineEvent).where(TimelineEvent.invoice_id == invoice.id,
                                    TimelineEvent.kind == EventKind.REMINDER_RECORDED.value))}
    letters, files = [], {}
    for n, row in enumerate(rows, 1):
        channel = channels.get(row.id) or "email"
        letters.append(Letter(row.sent_at or row.created_at, row.step, channel, row.status, tuple(row.to_addresses)))
        if row.raw:  # a letter the tick decided but has not rendered yet has no bytes to give
            files[f"letters/{n:02d}-{row.created_at.date().isoformat()}-{_safe(row.step)}.eml"] = row.raw
    return letters, files


def _received(session: Session, invoice: Invoice, events: list[TimelineEvent]) -> dict[str, bytes]:
    """Every message from outside about the invoice (replies, bounces, remittances), not the invoice's own mail."""
    ids = sorted({e.inbound_message_id for e in events if e.inbound_message_id is not None}
                 - {invoice.source_message_id})
    if not ids:
        return {}
    rows = session.scalars(select(InboundMessage).where(InboundMessage.id.in_(ids)).order_by(
        InboundMessage.received_at, InboundMessage.id))
    return {f"received/{n:02d}-{row.received_at.date().isoformat()}-message-{row.id}.eml": row.raw
            for n, row in enumerate(rows, 1)}


def _happenings(events: list[TimelineEvent]) -> list[Happening]:
    found = []
    for event in events:
        kind = _HAPPENINGS.get(event.kind)
        if kind is None:
            continue
        data = event.data or {}
        if kind == "reply":
            text = f"from {data.get('sender')}, read as {data.get('intent')}: {(data.get('excerpt') or '')[:300]}"
        elif kind == "promise":
            text = f"to pay by {data.get('promised_date')}" + (f" (by {data['source']})" if data.get("source") else "")
        elif kind in ("call", "note"):
            who = f" with {data['contact']}" if data.get("contact") else ""
            text = f"{data.get('happened_at', '')[:16]}{who}, recorded by {data.get('by')}: {data.get('summary')}"
        elif kind in ("auto-reply", "other mail", "bounce"):
            text = str(data.get("subject") or "")
        elif kind == "payment plan":
            text = ", ".join(f"{i['amount']} by {i['due_date']}" for i in data.get("instalments", []))
        else:
            text = str(data.get("note") or data.get("step") or data.get("amount") or "")
        found.append(Happening(event.at, kind, text))
    return found


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return out.getvalue()
