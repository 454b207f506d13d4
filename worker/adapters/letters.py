"""Compose outgoing letters (reminders, notices to the business): context, template, letter file, MIME."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from letter_templates.context import (
    ClaimData,
    Contact,
    InvoiceLine,
    LetterData,
    LetterInput,
    Received,
    Recipient,
    Sender,
    build_context,
)
from letter_templates.library import builtin_template
from letter_templates.pdf import Converter
from letter_templates.render import render_letter
from mailer.compose import build_message, make_message_id
from mailer.message import Attachment
from mailer.reply_token import reply_address
from worker.db.models import Business, Debtor, Invoice
from worker.domain.addressing import Addressing
from worker.domain.law.claim import DebtorLaw, Principal
from worker.domain.letter_plan import (
    DebtorContact,
    LetterPlan,
    broken_promise,
    law_country,
    letter_language,
    plan_letter,
)
from worker.domain.payment_plan import PaymentPlan
from worker.domain.step import Step
from worker.usecases.ledger import open_amount


@dataclass(frozen=True)
class ComposedLetter:
    message: EmailMessage
    addressing: Addressing
    subject: str
    message_id: str
    language: str = "nl"
    template: str = ""


@dataclass(frozen=True)
class LetterFacts:
    """What the database knows beyond the rows themselves: the dossier, promises, the 14-day term, payments."""

    history: tuple[Contact, ...] = ()
    promised: date | None = None  # the latest promised payment date
    promised_at: date | None = None  # when that promise was recorded
    promises: int = 0
    last_letter_on: date | None = None  # our last ladder letter about these invoices
    term_last_day: date | None = None  # last day of the consumer's 14-day term, once that letter went out
    paid_on: date | None = None  # the last part payment


def sender(business: Business) -> Sender:
    settings = business.settings
    return Sender(name=business.name, email=business.from_address, iban=business.iban,
                  address=settings.get("address"), phone=settings.get("phone"), website=settings.get("website"),
                  bic=settings.get("bic"), link_pattern=settings.get("payment_link_pattern"))



def _invoice_country(invoices: list[Invoice]) -> str | None:
    buyer = (invoices[0].parsed or {}).get("buyer") if invoices else None
    return buyer.get("country") if isinstance(buyer, dict) else None


def debtor_law(business: Business, debtor: Debtor, invoices: list[Invoice]) -> DebtorLaw:
    """The regime: country (see `law_country`), consumer or business, whether the business charges costs."""
    settings = business.settings
    return DebtorLaw(country=law_country(debtor.country, settings.get("country"), _invoice_country(invoices)),
                     consumer=bool(debtor.is_consumer), charges=bool(settings.get("charge_costs", True)),
                     b2b_costs="wik" if settings.get("b2b_costs") == "wik" else "compensation")


def language_for(business: Business, debtor: Debtor, invoices: list[Invoice]) -> str:
    invoice_language = (invoices[0].parsed or {}).get("language") if invoices else None
    return letter_language(debtor.language, invoice_language, business.language)


def plan_for(business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
             facts: LetterFacts, deadline: date | None = None) -> LetterPlan:
    """The domain's decisions for this letter, from the rows and facts."""
    today = now.date()
    principals = [Principal(i.amount_due or Decimal(0), i.amount_paid or Decimal(0), i.due_date or today)
                  for i in invoices]
    contact = DebtorContact(debtor.contact_email, debtor.general_email, bool(debtor.contact_undeliverable),
                            bool(debtor.is_consumer))
    return plan_letter(step, debtor_law(business, debtor, invoices), contact, principals, today, deadline=deadline,
                       term_last_day=facts.term_last_day,
                       promise_broken_on=broken_promise(facts.promised, facts.promised_at, facts.last_letter_on))


def letter_input(business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                 plan: LetterPlan, facts: LetterFacts, channel: str = "email",
                 payment_plan: PaymentPlan | None = None, copy: bool = False) -> LetterInput:
    """Translate rows, facts and the domain's plan into the letter builder's input."""
    claim, received = plan.claim, plan.claim.received
    lines = [InvoiceLine(i.number, i.issue_date, i.due_date, i.amount_due or Decimal(0), open_amount(i),
                         i.currency or "EUR", i.amount_paid or Decimal(0)) for i in invoices]
    extra: dict[str, Any] = {}
    amount = claim.total if claim.costs_due else None
    if payment_plan is not None:
        extra["plan"] = {"total": sum((i.amount for i in payment_plan.instalments), Decimal(0)), "instalments": [
            {"number": n, "due_date": i.due_date, "amount": i.amount}
            for n, i in enumerate(payment_plan.instalments, 1)]}
        if step.name.startswith("instalment_"):
            # An instalment reminder asks for that instalment (the QR code too), not the whole invoice.
            number = int(step.name.rpartition("_")[2])
            instalment = payment_plan.instalments[number - 1]
            extra["instalment"] = {"number": number, "due_date": instalment.due_date, "amount": instalment.amount}
            amount = instalment.amount
    return LetterInput(
        sender=sender(business),
        recipient=Recipient(name=debtor.name or debtor.contact_email, email=debtor.contact_email,
                            contact_name=debtor.contact_name, general_email=debtor.general_email,
                            address=debtor.address, consumer=bool(debtor.is_consumer), country=claim.law.country),
        letter=LetterData(step=step.name, on=now.date(), reference=" ".join(
            i.payment_reference or i.number for i in invoices), deadline=plan.deadline, channel=channel,
            to=tuple(plan.addressing.to), cc=tuple(plan.addressing.cc), copy=copy),
        invoices=lines,
        claim=ClaimData(country=claim.law.country, consumer=claim.law.consumer, charges=claim.law.charges,
                        interest_kind=claim.interest_kind, interest_rate=claim.interest_rate,
                        interest=claim.interest, costs=claim.costs, costs_kind=claim.costs_kind,
                        costs_due=claim.costs_due, costs_from=claim.costs_from, total=claim.total),
        received=Received(amount=sum((i.amount_paid or Decimal(0) for i in invoices), Decimal(0)),
                          on=facts.paid_on, to_costs=received.to_costs, to_interest=received.to_interest,
                          to_principal=received.to_principal, remaining=received.open_total),
        history=facts.history, promise_date=facts.promised, promises=facts.promises, payment_amount=amount,
        currency=(invoices[0].currency if invoices else None) or "EUR", extra=extra)


def letter_context(business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                   deadline: date | None = None, plan: PaymentPlan | None = None,
                   facts: LetterFacts = LetterFacts(), channel: str = "email") -> dict:
    """The documented placeholder context for one debtor's letter, exactly as the tick builds it."""
    decided = plan_for(business, debtor, invoices, step, now, facts, deadline)
    return build_context(letter_input(business, debtor, invoices, step, now, decided, facts, channel, plan),
                         language_for(business, debtor, invoices))


@dataclass(frozen=True)
class LetterSettings:
    """What every outgoing letter needs besides its data: where replies go, Message-ID domain, PDF maker."""

    service_address: str
    message_id_domain: str
    pdf: Converter | None
    pdf_missing: bool = False  # PDF letters were wanted but LibreOffice is not installed: DOCX goes out instead
    sent_copy_address: str | None = None  # our own copies come back through it (see mailer.sent_copies)


def _letter_file(name: str, docx: bytes, pdf: Converter | None) -> Attachment:
    if pdf is not None:
        return Attachment(f"{name}.pdf", "application/pdf", pdf.convert(docx))
    return Attachment(f"{name}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      docx)


# Finds the .docx for a template name and language: the debtor's or business's own, else the built-in.
TemplateSource = Callable[[str, str], bytes]


def _compose(*, business: Business, template: str, language: str, context: dict, addressing: Addressing,
             reply_to: str, message_key: str, file_name: str, now: datetime, letters: LetterSettings,
             templates: TemplateSource = builtin_template, extra: tuple[Attachment, ...] = (),
             message_id: str | None = None) -> ComposedLetter:
    rendered = render_letter(templates(template, language), context, language)
    message_id = message_id or make_message_id(message_key, letters.message_id_domain)
    message = build_message(
        from_address=business.from_address, from_name=business.from_name, to=addressing.to, cc=addressing.cc,
        reply_to=reply_to, subject=rendered.subject, text=rendered.text, message_id=message_id, date=now,
        attachments=[_letter_file(file_name, rendered.docx, letters.pdf), *extra],
    )
    return ComposedLetter(message, addressing, rendered.subject, message_id, language, template)


@dataclass(frozen=True)
class ReminderDecision:
    """What a reminder is, known without rendering it: recorded by the tick, rendered later."""

    addressing: Addressing
    message_id: str
    language: str
    template: str


def _message_key(business: Business, debtor: Debtor, first: Invoice, step: Step, key_suffix: str) -> str:
    return f"b{business.id}.d{debtor.id}.i{first.id}.{step.name}{key_suffix}"


def decide_reminder(*, business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                    letters: LetterSettings, deadline: date | None = None, key_suffix: str = "",
                    facts: LetterFacts = LetterFacts()) -> ReminderDecision:
    """The addressing, Message-ID, language and template of the letter `compose_reminder` would make."""
    assert step.template is not None and invoices
    decided = plan_for(business, debtor, invoices, step, now, facts, deadline)
    return ReminderDecision(decided.addressing, make_message_id(
        _message_key(business, debtor, invoices[0], step, key_suffix), letters.message_id_domain),
        language_for(business, debtor, invoices), decided.template)


def compose_reminder(*, business: Business, debtor: Debtor, invoices: list[Invoice], step: Step, now: datetime,
                     letters: LetterSettings, deadline: date | None = None,
                     templates: TemplateSource = builtin_template, extra: tuple[Attachment, ...] = (),
                     key_suffix: str = "", plan: PaymentPlan | None = None, facts: LetterFacts = LetterFacts(),
                     channel: str = "email", copy: bool = False,
                     recorded: ReminderDecision | None = None,
                     extra_context: dict[str, Any] | None = None) -> ComposedLetter:
    """One letter about all `invoices` of a debtor for `step`; replies come back with the first one's token
    (and In-Reply-To names the message, which covers them all).

    `recorded`: the decision the outbox row holds; its addressing and Message-ID are the letter's, so a letter
    rendered after the decision goes exactly where, and under the id, the tick recorded."""
    assert step.template is not None and invoices
    first = invoices[0]
    decided = plan_for(business, debtor, invoices, step, now, facts, deadline)
    language = language_for(business, debtor, invoices)
    context = build_context(letter_input(business, debtor, invoices, step, now, decided, facts, channel, plan, copy),
                            language)
    context.update(extra_context or {})  # a letter's own group (e.g. `agreement`), beside the ladder's context
    return _compose(
        business=business, template=decided.template, language=language, context=context,
        addressing=recorded.addressing if recorded else decided.addressing,
        reply_to=reply_address(letters.service_address, first.reply_token),
        message_key=_message_key(business, debtor, first, step, key_suffix),
        file_name=f"{step.name}-{first.number}", now=now, letters=letters, templates=templates, extra=extra,
        message_id=recorded.message_id if recorded else None)


@dataclass(frozen=True)
class DocumentProblem:
    """One thing wrong with an incoming invoice document, for the notice to the business."""

    code: str
    message: str
    field: str | None = None


def notice_input(business: Business, step: str, reference: str, now: datetime, **extra: Any) -> LetterInput:
    """A letter to the business itself: it is both sender and recipient; `extra` holds notice or document."""
    return LetterInput(sender=sender(business), recipient=Recipient(name=business.name, email=business.from_address),
                       letter=LetterData(step=step, on=now.date(), reference=reference, to=(business.from_address,)),
                       extra=extra)


def compose_invoice_problem(*, business: Business, filename: str, received_at: datetime, subject: str | None,
                            sender: str | None, problems: list[DocumentProblem], key: str, now: datetime,
                            letters: LetterSettings, templates: TemplateSource = builtin_template) -> ComposedLetter:
    """The notice to the business itself that an invoice it sent could not be used (or is held for review)."""
    document = {"filename": filename, "received_at": received_at.date(), "subject": subject, "sender": sender,
                "problems": [vars(p) for p in problems]}
    context = build_context(notice_input(business, "invoice_problem", filename, now, document=document),
                            business.language)
    return _compose(
        business=business, template="invoice_problem", language=business.language, context=context,
        addressing=Addressing([business.from_address], []), reply_to=letters.service_address,
        message_key=f"b{business.id}.notice.{key}", file_name="invoice-problem", now=now, letters=letters,
        templates=templates)


def compose_business_notice(*, business: Business, title: str, message: str, action: str | None, key: str,
                            now: datetime, letters: LetterSettings, api: str | None = None,
                            templates: TemplateSource = builtin_template) -> ComposedLetter:
    """A notice to the business itself about something it should fix (an address, a bounce, LibreOffice)."""
    notice = {"title": title, "message": message, "action": action, "api": api}
    context = build_context(notice_input(business, "business_notice", key, now, notice=notice), business.language)
    return _compose(
        business=business, template="business_notice", language=business.language, context=context,
        addressing=Addressing([business.from_address], []), reply_to=letters.service_address,
        message_key=f"b{business.id}.notice.{key}", file_name="notice", now=now, letters=letters,
        templates=templates)
