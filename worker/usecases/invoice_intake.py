"""Turn a business's BCC'd invoice e-mail into invoices and debtors, or say why not."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.message import InboundMessage as ParsedMail
from parsers.bank.reference import creditor_reference, structured_reference
from parsers.invoice import ParsedInvoice
from worker.adapters.contained_documents import read_invoice_attachments
from worker.adapters.letters import DocumentProblem, LetterSettings
from worker.db.models import Business, Debtor, InboundMessage, Invoice
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.usecases.businesses import sender_is_allowed
from worker.usecases.notices import notify_invoice_problem
from worker.usecases.quarantine import InvoiceUnusable
from worker.usecases.timeline import record_event

# Fields a reminder rests on: below this confidence a person checks the invoice first.
KEY_FIELDS = ("invoice_number", "amount_due", "currency", "due_date")
MIN_CONFIDENCE = 0.8
# Dutch law (6:119a BW): without an agreed term, payment is due 30 days after receipt.
STATUTORY_TERM = timedelta(days=30)


@dataclass(frozen=True)
class IntakeResult:
    invoice_ids: list[int]
    problems: list[str]


def accept_invoice_mail(
    session: Session,
    business: Business,
    inbound: InboundMessage,
    mail: ParsedMail,
    *,
    service_address: str,
    now: datetime,
    letters: LetterSettings | None = None,
) -> IntakeResult:
    """Create the invoices an e-mail carries; raise Quarantined when it carries none we can read."""
    result = read_invoice_attachments([(a.filename, a.content_type, a.data) for a in mail.attachments])
    # Most reasons already name their file; prefix it only where they don't.
    problems = [e.reason if e.filename and e.reason.startswith(e.filename) else f"{e.filename}: {e.reason}"
                for e in result.errors]
    by_file: dict[str, list[tuple[str, str]]] = {
        e.filename or "attachment": [(type(e).__name__, e.reason)] for e in result.errors}
    if not result.invoices:
        reason = "; ".join(problems) or "no invoice attachment (PDF, UBL or Factur-X XML) found"
        raise InvoiceUnusable(reason, business.id, by_file or {"(no attachment)": [("no_invoice", reason)]})
    contact = _contact_address(mail, business, service_address)
    invoice_ids = []
    for parsed in result.invoices:
        if not parsed.invoice_number:
            problems.append(f"{parsed.filename}: no invoice number found")
            by_file[parsed.filename or "attachment"] = [("missing_invoice_number", "no invoice number found")]
            continue
        invoice = _upsert_invoice(session, business, inbound, parsed, contact, now)
        invoice_ids.append(invoice.id)
        if invoice.status == InvoiceStatus.REVIEW.value and invoice.source_message_id == inbound.id and letters:
            # Never dunned on a guess, and the business hears why: it can correct and resend the invoice.
            notify_invoice_problem(
                session, business, inbound, filename=parsed.filename or invoice.number,
                problems=[DocumentProblem("held_for_review", reason) for reason in
                          (invoice.status_reason or "").split("; ") if reason],
                invoice_id=invoice.id, now=now, letters=letters)
    if not invoice_ids:
        raise InvoiceUnusable("; ".join(problems), business.id, by_file)
    return IntakeResult(invoice_ids, problems)


def _contact_address(mail: ParsedMail, business: Business, service_address: str) -> str | None:
    """The person the business sent the invoice to: the first To/Cc that is neither us nor the business."""
    service_local, _, service_domain = service_address.lower().partition("@")
    ours = {business.from_address.lower(), (business.ingest_address or "").lower()}
    for address in [*mail.to, *mail.cc]:
        lowered = address.lower()
        local, _, domain = lowered.partition("@")
        is_service = domain == service_domain and local.split("+")[0] == service_local
        if is_service or lowered in ours or sender_is_allowed(business, lowered):
            continue
        return lowered
    return None


def _upsert_invoice(
    session: Session, business: Business, inbound: InboundMessage, parsed: ParsedInvoice,
    contact: str | None, now: datetime,
) -> Invoice:
    existing = session.scalars(
        select(Invoice).where(Invoice.business_id == business.id, Invoice.number == parsed.invoice_number)
    ).first()
    if existing is not None:
        record_event(session, EventKind.INVOICE_SEEN_AGAIN, at=now, business_id=business.id,
                     invoice_id=existing.id, inbound_message_id=inbound.id)
        return existing
    debtor = _find_or_create_debtor(session, business, parsed, contact or parsed.buyer.email, now)
    due_date, review_reasons = _due_date_and_doubts(parsed, inbound.received_at)
    status = InvoiceStatus.REVIEW if review_reasons or debtor is None else InvoiceStatus.OPEN
    if debtor is None:
        review_reasons.append("no e-mail address for the customer: not in the To of the mail, not on the invoice")
        debtor = _placeholder_debtor(session, business, parsed, now)
    invoice = Invoice(
        business_id=business.id,
        debtor_id=debtor.id,
        number=parsed.invoice_number,
        issue_date=parsed.issue_date,
        due_date=due_date,
        currency=parsed.currency,
        amount_due=parsed.amount_due,
        amount_paid=0,
        status=status.value,
        status_reason="; ".join(review_reasons) or None,
        reply_token=secrets.token_hex(8),
        # The business's own structured reference (RF, Belgian OGM) is what the debtor's bank will show; else an
        # RF of our own, so a payment can be matched to this invoice exactly (worker/domain/bank_matching.py).
        payment_reference=(parsed.payment_reference if structured_reference(parsed.payment_reference)
                           else creditor_reference(parsed.invoice_number or "")),
        source_message_id=inbound.id,
        parsed=parsed.to_json(),
        created_at=now,
    )
    session.add(invoice)
    session.flush()
    record_event(session, EventKind.INVOICE_RECEIVED, at=now, business_id=business.id, invoice_id=invoice.id,
                 debtor_id=debtor.id, inbound_message_id=inbound.id, source=parsed.source,
                 problems=[p.message for p in parsed.problems])
    if status is InvoiceStatus.REVIEW:
        record_event(session, EventKind.INVOICE_HELD_FOR_REVIEW, at=now, business_id=business.id,
                     invoice_id=invoice.id, reasons=review_reasons)
    return invoice


def _due_date_and_doubts(parsed: ParsedInvoice, received_at: datetime) -> tuple[date, list[str]]:
    doubts = []
    for field in KEY_FIELDS:
        value = getattr(parsed, field)
        if field == "due_date" and value is None:
            continue  # handled below: a missing due date has a legal default
        if value is None:
            doubts.append(f"{field.replace('_', ' ')} not found")
        elif parsed.confidence.get(field, 1.0) < MIN_CONFIDENCE:
            doubts.append(f"{field.replace('_', ' ')} uncertain ({value})")
    due = parsed.due_date
    if due is None:
        base = parsed.issue_date or received_at.date()
        due = (parsed.issue_date + timedelta(days=parsed.payment_terms_days)
               if parsed.payment_terms_days is not None and parsed.issue_date else base + STATUTORY_TERM)
    if parsed.is_credit_note or (parsed.amount_due is not None and parsed.amount_due <= 0):
        doubts.append("credit note or nothing to pay: not dunned")
    return due, doubts


def _find_or_create_debtor(
    session: Session, business: Business, parsed: ParsedInvoice, contact: str | None, now: datetime
) -> Debtor | None:
    if not contact:
        return None
    contact = contact.lower()
    debtor = session.scalars(
        select(Debtor).where(Debtor.business_id == business.id, Debtor.contact_email == contact)
    ).first()
    if debtor is None:
        debtor = Debtor(business_id=business.id, contact_email=contact, name=parsed.buyer.name,
                        general_email=_general_address(parsed, contact), created_at=now)
        session.add(debtor)
        session.flush()
    else:
        debtor.name = debtor.name or parsed.buyer.name
        debtor.general_email = debtor.general_email or _general_address(parsed, contact)
    # What a person set through the API wins; the invoice only fills in what is still unknown.
    debtor.address = debtor.address or getattr(parsed.buyer, "address", None)
    debtor.language = debtor.language or _letter_language(getattr(parsed, "language", None))
    return debtor


def _letter_language(language: str | None) -> str | None:
    return language if language in ("nl", "en", "fr", "de") else None


def _general_address(parsed: ParsedInvoice, contact: str) -> str | None:
    general = getattr(parsed.buyer, "general_email", None)
    return general.lower() if general and general.lower() != contact else None


def _placeholder_debtor(session: Session, business: Business, parsed: ParsedInvoice, now: datetime) -> Debtor:
    """A debtor without an address yet, so the invoice can be held for review and completed via the API."""
    marker = f"unknown+{secrets.token_hex(6)}@invalid"
    debtor = Debtor(business_id=business.id, contact_email=marker, name=parsed.buyer.name, created_at=now)
    session.add(debtor)
    session.flush()
    return debtor
