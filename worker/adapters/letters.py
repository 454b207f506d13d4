"""Compose outgoing letters (reminders, notices to the business): context, template, letter file, MIME."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from letter_templates.library import builtin_template
from letter_templates.pdf import PdfConverter
from letter_templates.render import render_letter
from mailer.compose import build_message, make_message_id
from mailer.message import Attachment
from mailer.reply_token import reply_address
from worker.db.models import Business, Debtor, Invoice
from worker.domain.ladder import Step

# The deadline printed on a letter: long enough to arrange a payment run.
LETTER_DEADLINE = timedelta(days=7)


@dataclass(frozen=True)
class Addressing:
    """Who a letter goes to; `notice` says what the business should fix (e.g. add a general address)."""

    to: list[str]
    cc: list[str]
    notice: str | None = None


@dataclass(frozen=True)
class ComposedLetter:
    message: EmailMessage
    addressing: Addressing
    subject: str
    message_id: str


def address_letter(debtor: Debtor, step: Step) -> Addressing:
    """The contact, or for an escalation the general address with the contact in CC."""
    contact_ok = not debtor.contact_undeliverable
    if step.to_general_address or not contact_ok:
        if debtor.general_email:
            return Addressing([debtor.general_email], [debtor.contact_email] if contact_ok else [])
        if step.to_general_address:
            return Addressing([debtor.contact_email], [], notice=(
                f"No general e-mail address is known for {debtor.name or debtor.contact_email}; the "
                f"{step.name.replace('_', ' ')} went to the contact only. Add it with PUT /debtors/{debtor.id}."))
    return Addressing([debtor.contact_email], [])


def _business_context(business: Business) -> dict:
    return {"name": business.name, "email": business.from_address, "address": business.settings.get("address"),
            "iban": business.iban, "phone": business.settings.get("phone"),
            "website": business.settings.get("website")}


def letter_context(business: Business, debtor: Debtor, invoice: Invoice, step: Step, now: datetime) -> dict:
    open_amount = (invoice.amount_due or 0) - (invoice.amount_paid or 0)
    today = now.date()
    return {
        "business": _business_context(business),
        "debtor": {"name": debtor.name or debtor.contact_email, "contact_name": debtor.contact_name,
                   "email": debtor.contact_email, "general_email": debtor.general_email},
        "invoices": [{"number": invoice.number, "issue_date": invoice.issue_date, "due_date": invoice.due_date,
                      "amount": invoice.amount_due, "open_amount": open_amount, "currency": invoice.currency,
                      "days_overdue": max(0, (today - invoice.due_date).days) if invoice.due_date else 0}],
        "total_open": open_amount,
        "currency": invoice.currency,
        "letter": {"date": today, "step": step.name, "reference": invoice.payment_reference or invoice.number,
                   "deadline": today + LETTER_DEADLINE},
        "payment": {"iban": business.iban, "reference": invoice.payment_reference or invoice.number,
                    "link": None},
    }


@dataclass(frozen=True)
class LetterSettings:
    """What every outgoing letter needs besides its data: where replies go, Message-ID domain, PDF maker."""

    service_address: str
    message_id_domain: str
    pdf: PdfConverter | None


def _letter_file(name: str, docx: bytes, pdf: PdfConverter | None) -> Attachment:
    if pdf is not None:
        return Attachment(f"{name}.pdf", "application/pdf", pdf.convert(docx))
    return Attachment(f"{name}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      docx)


def _compose(*, business: Business, template: str, language: str, context: dict, addressing: Addressing,
             reply_to: str, message_key: str, file_name: str, now: datetime, letters: LetterSettings,
             ) -> ComposedLetter:
    rendered = render_letter(builtin_template(template, language), context, language)
    message_id = make_message_id(message_key, letters.message_id_domain)
    message = build_message(
        from_address=business.from_address, from_name=business.from_name, to=addressing.to, cc=addressing.cc,
        reply_to=reply_to, subject=rendered.subject, text=rendered.text, message_id=message_id, date=now,
        attachments=[_letter_file(file_name, rendered.docx, letters.pdf)],
    )
    return ComposedLetter(message, addressing, rendered.subject, message_id)


def compose_reminder(*, business: Business, debtor: Debtor, invoice: Invoice, step: Step, now: datetime,
                     letters: LetterSettings) -> ComposedLetter:
    """Render the step's letter and wrap it in an e-mail whose replies come back with the invoice's token."""
    assert step.template is not None
    return _compose(
        business=business, template=step.template, language=debtor.language or business.language,
        context=letter_context(business, debtor, invoice, step, now), addressing=address_letter(debtor, step),
        reply_to=reply_address(letters.service_address, invoice.reply_token),
        message_key=f"b{business.id}.i{invoice.id}.{step.name}", file_name=f"{step.name}-{invoice.number}",
        now=now, letters=letters)


@dataclass(frozen=True)
class DocumentProblem:
    """One thing wrong with an incoming invoice document, for the notice to the business."""

    code: str
    message: str
    field: str | None = None


def compose_invoice_problem(*, business: Business, filename: str, received_at: datetime, subject: str | None,
                            sender: str | None, problems: list[DocumentProblem], key: str, now: datetime,
                            letters: LetterSettings) -> ComposedLetter:
    """The notice to the business itself that an invoice it sent could not be used (or is held for review)."""
    context = {
        "business": _business_context(business),
        "debtor": {"name": business.name, "email": business.from_address},
        "invoices": [], "total_open": 0, "currency": "EUR",
        "letter": {"date": now.date(), "step": "invoice_problem", "reference": filename, "deadline": None},
        "payment": {"iban": business.iban, "reference": filename, "link": None},
        "document": {"filename": filename, "received_at": received_at.date(), "subject": subject,
                     "sender": sender, "problems": [vars(p) for p in problems]},
    }
    return _compose(
        business=business, template="invoice_problem", language=business.language, context=context,
        addressing=Addressing([business.from_address], []), reply_to=letters.service_address,
        message_key=f"b{business.id}.notice.{key}", file_name="invoice-problem", now=now, letters=letters)
