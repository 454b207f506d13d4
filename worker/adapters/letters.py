"""Compose outgoing letters (reminders, notices to the business): context, template, letter file, MIME."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from letter_templates.library import builtin_template
from letter_templates.pdf import Converter
from letter_templates.render import render_letter
from mailer.compose import build_message, make_message_id
from mailer.message import Attachment
from mailer.reply_token import reply_address
from worker.db.models import Business, Debtor, Invoice
from worker.domain.law.collection_costs import collection_costs
from worker.domain.law.interest import statutory_interest
from worker.domain.payment_plan import PaymentPlan
from worker.domain.step import Step

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


def letter_context(business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                   deadline: date | None = None, plan: PaymentPlan | None = None) -> dict:
    """The documented placeholder context (letter_templates.vocabulary) for one debtor's letter."""
    today = now.date()
    rows = [{"number": i.number, "issue_date": i.issue_date, "due_date": i.due_date, "amount": i.amount_due,
             "open_amount": _open(i), "currency": i.currency,
             "days_overdue": max(0, (today - i.due_date).days) if i.due_date else 0} for i in invoices]
    total = sum((_open(i) for i in invoices), Decimal(0))
    reference = " ".join(i.payment_reference or i.number for i in invoices)
    context: dict[str, Any] = {
        "business": _business_context(business),
        "debtor": {"name": debtor.name or debtor.contact_email, "contact_name": debtor.contact_name,
                   "email": debtor.contact_email, "general_email": debtor.general_email},
        "invoices": rows,
        "total_open": total,
        "currency": invoices[0].currency or "EUR",
        "letter": {"date": today, "step": step.name, "reference": reference,
                   "deadline": deadline or today + LETTER_DEADLINE},
        # The business's payment-link pattern (e.g. "https://pay.example/{reference}?amount={amount}") is
        # expanded by the renderer; the SEPA QR code is made from IBAN, total and reference.
        "payment": {"iban": business.iban, "reference": reference, "link": None,
                    "link_pattern": business.settings.get("payment_link_pattern")},
    }
    if plan is not None:
        context["plan"] = {"total": sum((i.amount for i in plan.instalments), Decimal(0)), "instalments": [
            {"number": n, "due_date": i.due_date, "amount": i.amount} for n, i in enumerate(plan.instalments, 1)]}
        if step.name.startswith("instalment_"):
            # An instalment reminder asks for that instalment (the QR code too), not the whole invoice.
            number = int(step.name.rpartition("_")[2])
            instalment = plan.instalments[number - 1]
            context["instalment"] = {"number": number, "due_date": instalment.due_date, "amount": instalment.amount}
            context["payment"]["amount"] = instalment.amount
    if step.statutory_term:
        # The 14-dagenbrief must state the exact costs that follow if the debtor does not pay (6:96 lid 6).
        costs = collection_costs([_open(i) for i in invoices], debtor.is_consumer, today)
        # Statutory interest runs from the day after the due date (the debtor is in default from then on).
        interest = sum((statutory_interest(_open(i), i.due_date + timedelta(days=1), today, debtor.is_consumer).amount
                        for i in invoices if i.due_date and i.due_date + timedelta(days=1) < today), Decimal("0.00"))
        context["costs"] = {"amount": costs.amount, "interest": interest}
    return context


def _open(invoice: Invoice) -> Decimal:
    return (invoice.amount_due or Decimal(0)) - (invoice.amount_paid or Decimal(0))


@dataclass(frozen=True)
class LetterSettings:
    """What every outgoing letter needs besides its data: where replies go, Message-ID domain, PDF maker."""

    service_address: str
    message_id_domain: str
    pdf: Converter | None
    pdf_missing: bool = False  # PDF letters were wanted but LibreOffice is not installed: DOCX goes out instead


def _letter_file(name: str, docx: bytes, pdf: Converter | None) -> Attachment:
    if pdf is not None:
        return Attachment(f"{name}.pdf", "application/pdf", pdf.convert(docx))
    return Attachment(f"{name}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      docx)


# Finds the .docx for a template name and language: the debtor's or business's own, else the built-in.
TemplateSource = Callable[[str, str], bytes]


def _compose(*, business: Business, template: str, language: str, context: dict, addressing: Addressing,
             reply_to: str, message_key: str, file_name: str, now: datetime, letters: LetterSettings,
             templates: TemplateSource = builtin_template, extra: tuple[Attachment, ...] = ()) -> ComposedLetter:
    rendered = render_letter(templates(template, language), context, language)
    message_id = make_message_id(message_key, letters.message_id_domain)
    message = build_message(
        from_address=business.from_address, from_name=business.from_name, to=addressing.to, cc=addressing.cc,
        reply_to=reply_to, subject=rendered.subject, text=rendered.text, message_id=message_id, date=now,
        attachments=[_letter_file(file_name, rendered.docx, letters.pdf), *extra],
    )
    return ComposedLetter(message, addressing, rendered.subject, message_id)


def compose_reminder(*, business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                     letters: LetterSettings, deadline: date | None = None,
                     templates: TemplateSource = builtin_template, extra: tuple[Attachment, ...] = (),
                     key_suffix: str = "", plan: PaymentPlan | None = None) -> ComposedLetter:
    """One letter about all `invoices` of a debtor for `step`; replies come back with the first one's token
    (and In-Reply-To names the message, which covers them all)."""
    assert step.template is not None and invoices
    first = invoices[0]
    return _compose(
        business=business, template=step.template, language=debtor.language or business.language,
        context=letter_context(business, debtor, invoices, step, now, deadline, plan),
        addressing=address_letter(debtor, step), reply_to=reply_address(letters.service_address, first.reply_token),
        message_key=f"b{business.id}.d{debtor.id}.i{first.id}.{step.name}{key_suffix}",
        file_name=f"{step.name}-{first.number}", now=now, letters=letters, templates=templates, extra=extra)


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


def compose_business_notice(*, business: Business, title: str, message: str, action: str | None, key: str,
                            now: datetime, letters: LetterSettings) -> ComposedLetter:
    """A notice to the business itself about something it should fix (an address, a bounce, LibreOffice)."""
    context = {
        "business": _business_context(business),
        "debtor": {"name": business.name, "email": business.from_address},
        "invoices": [], "total_open": 0, "currency": "EUR",
        "letter": {"date": now.date(), "step": "business_notice", "reference": key, "deadline": None},
        "payment": {"iban": business.iban, "reference": key, "link": None},
        "notice": {"title": title, "message": message, "action": action},
    }
    return _compose(
        business=business, template="business_notice", language=business.language, context=context,
        addressing=Addressing([business.from_address], []), reply_to=letters.service_address,
        message_key=f"b{business.id}.notice.{key}", file_name="notice", now=now, letters=letters)
