"""The documented placeholder vocabulary every letter template may use, with sample data and per-letter needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Types as staff read them in the reference page; "or empty" means the value may be None.
TEXT = "text"
OPTIONAL_TEXT = "text or empty"
AMOUNT = "amount"
DATE = "date"
OPTIONAL_DATE = "date or empty"
NUMBER = "number"
GROUP = "group"
LIST = "list"
IMAGE = "image or empty"  # made by the renderer, never supplied by the caller
FLAG = "yes/no"
OPTIONAL_NUMBER = "number or empty"


@dataclass(frozen=True)
class Placeholder:
    """One placeholder: its name, type, what it means, and (for groups and lists) its fields."""

    name: str
    type: str
    description: str
    fields: tuple[Placeholder, ...] = ()

    @property
    def optional(self) -> bool:
        return self.type in (OPTIONAL_TEXT, OPTIONAL_DATE, OPTIONAL_NUMBER, IMAGE)

    def field(self, name: str) -> Placeholder | None:
        return next((f for f in self.fields if f.name == name), None)


def _p(name: str, type_: str, description: str, *fields: Placeholder) -> Placeholder:
    return Placeholder(name, type_, description, tuple(fields))


INVOICE_FIELDS = (
    _p("number", TEXT, "invoice number as printed on the invoice"),
    _p("issue_date", DATE, "invoice date"),
    _p("due_date", DATE, "date the invoice was due"),
    _p("amount", AMOUNT, "invoice total including VAT"),
    _p("open_amount", AMOUNT, "what is still to be paid on this invoice"),
    _p("paid", AMOUNT, "what has been paid on this invoice so far (0 when nothing)"),
    _p("currency", TEXT, "ISO currency code, e.g. EUR"),
    _p("days_overdue", NUMBER, "days past the due date on the letter date (0 or negative when not yet due)"),
)

# The context every template gets (docs/contracts.md, section letter_templates).
PLACEHOLDERS: tuple[Placeholder, ...] = (
    _p(
        "business", GROUP, "the business that sends the letter (the creditor)",
        _p("name", TEXT, "business name"),
        _p("email", TEXT, "e-mail address debtors reply to"),
        _p("address", OPTIONAL_TEXT, "postal address, may span lines"),
        _p("iban", OPTIONAL_TEXT, "the business's bank account"),
        _p("phone", OPTIONAL_TEXT, "telephone number"),
        _p("website", OPTIONAL_TEXT, "website address"),
    ),
    _p(
        "debtor", GROUP, "the customer who owes the money",
        _p("name", TEXT, "company or person name"),
        _p("contact_name", OPTIONAL_TEXT, "contact person, when known"),
        _p("email", OPTIONAL_TEXT, "contact person's e-mail address"),
        _p("general_email", OPTIONAL_TEXT, "the company's general e-mail address (e.g. info@)"),
        # Not in the contract's first version: a printed letter needs the debtor's postal address.
        _p("address", OPTIONAL_TEXT, "postal address, may span lines (printed in the address window)"),
        _p("consumer", FLAG, "yes for a private person (consumer), no for a company"),
        _p("country", TEXT, "whose collection law applies: NL or BE"),
    ),
    _p("invoices", LIST, "the open invoices this letter is about", *INVOICE_FIELDS),
    _p("total_open", AMOUNT, "sum of the open amounts of all invoices in the letter"),
    _p("currency", TEXT, "currency of total_open, e.g. EUR"),
    _p(
        "letter", GROUP, "this letter",
        _p("date", DATE, "date of the letter"),
        _p("step", TEXT, "ladder step, e.g. reminder or last_reminder"),
        _p("reference", TEXT, "our reference for this letter"),
        _p("deadline", OPTIONAL_DATE, "pay-by date stated in the letter"),
        _p("channel", TEXT, "email or letter (printed and posted)"),
        _p("to", TEXT, "the addresses the letter goes to"),
        _p("cc", OPTIONAL_TEXT, "the addresses in copy (the contact person, for a letter to the general address)"),
        _p("to_general", FLAG, "yes when the letter goes to a company's general address with the contact in copy"),
        _p("copy", FLAG, "yes for the e-mail copy of a letter that went by post (its term counts from the post)"),
    ),
    _p(
        "payment", GROUP, "how to pay",
        _p("iban", TEXT, "IBAN to pay to"),
        _p("reference", TEXT, "payment reference to quote with the transfer"),
        _p("link", OPTIONAL_TEXT, "payment link (URL), when the business has one (or made from its link "
           "pattern, e.g. https://pay.example/{reference}?amount={amount})"),
        _p("amount", AMOUNT, "amount the QR code and link ask for; total_open unless the letter asks for less "
           "(an instalment)"),
        _p("bic", OPTIONAL_TEXT, "BIC of the business's bank, printed in the QR code when known"),
        _p("qr", IMAGE, "SEPA QR code (EPC069-12) with IBAN, amount and reference, for banking apps; made by "
           "the renderer from the fields above, empty when the letter cannot have one (no IBAN, not EUR)"),
    ),
    _p(
        "claim", GROUP, "what the law of the debtor's country lets the business claim (worker/domain/law)",
        _p("country", TEXT, "NL or BE"),
        _p("consumer", FLAG, "the consumer rules apply"),
        _p("charges", FLAG, "the business charges interest and collection costs at all"),
        _p("interest_kind", OPTIONAL_TEXT, "nl_consumer (art. 6:119 BW), nl_commercial (handelsrente, art. 6:119a "
           "BW), be_legal (wettelijke interestvoet), be_commercial (Wet 2 augustus 2002); empty without charges"),
        _p("interest_rate", OPTIONAL_NUMBER, "the interest rate in force on the letter date, percent a year"),
        _p("interest", AMOUNT, "interest accrued up to the letter date"),
        _p("costs", AMOUNT, "collection costs: announced, or claimed when costs_due"),
        _p("costs_kind", OPTIONAL_TEXT, "wik (WIK staffel), compensation (EUR 40 per invoice), be_damages (Book XIX "
           "CEL capped damages)"),
        _p("costs_due", FLAG, "yes when this letter claims the interest and costs (they are due and the step "
           "claims them)"),
        _p("costs_from", OPTIONAL_DATE, "first day the costs may be charged"),
        _p("total", AMOUNT, "what the letter asks for: what remains, with interest and costs when costs_due"),
    ),
    _p(
        "costs", GROUP, "collection costs announced in the 14-day letter (same figures as claim)",
        _p("amount", AMOUNT, "exact collection costs that will be charged if the debtor does not pay"),
        _p("interest", AMOUNT, "interest accrued so far"),
    ),
    _p(
        "received", GROUP, "part payments so far, applied to costs, then interest, then principal (art. 6:44 BW)",
        _p("amount", AMOUNT, "everything received on these invoices (0 when nothing)"),
        _p("date", OPTIONAL_DATE, "date of the last payment"),
        _p("to_costs", AMOUNT, "part applied to collection costs"),
        _p("to_interest", AMOUNT, "part applied to interest"),
        _p("to_principal", AMOUNT, "part applied to the invoices themselves"),
        _p("remaining", AMOUNT, "what remains to be paid"),
    ),
    _p(
        "promise", GROUP, "the debtor's promise to pay",
        _p("date", OPTIONAL_DATE, "the date the debtor promised to pay by, when it promised"),
        _p("count", NUMBER, "how many promises were made (from 2 on, ask for a copy of the transfer)"),
    ),
    _p(
        "history", LIST, "every contact about these invoices so far, oldest first (the dossier)",
        _p("date", DATE, "when it happened"),
        _p("channel", TEXT, "how: e-mail, letter, phone, …"),
        _p("description", TEXT, "what was sent or said, e.g. Reminder sent to a.devries@jansenbouw.nl"),
    ),
)

PLAN = _p(
    "plan", GROUP, "the payment plan agreed with the debtor",
    _p("total", AMOUNT, "the amount the plan pays off"),
    _p(
        "instalments", LIST, "the instalments, in order",
        _p("number", NUMBER, "1 for the first instalment, 2 for the second, …"),
        _p("due_date", DATE, "date the instalment must be paid by"),
        _p("amount", AMOUNT, "amount of the instalment"),
    ),
)

# Extra placeholders that only some letters get, by template name.
EXTRA_PLACEHOLDERS: dict[str, tuple[Placeholder, ...]] = {
    "invoice_problem": (
        _p(
            "document", GROUP, "the incoming invoice document that could not be used",
            _p("filename", TEXT, "file name of the attachment"),
            _p("received_at", DATE, "date the e-mail arrived"),
            _p("subject", OPTIONAL_TEXT, "subject of the e-mail it came with"),
            _p("sender", OPTIONAL_TEXT, "address the e-mail came from"),
            _p(
                "problems", LIST, "what is missing or wrong",
                _p("code", TEXT, "machine code, e.g. missing_due_date"),
                _p("field", OPTIONAL_TEXT, "the invoice field concerned"),
                _p("message", TEXT, "what is wrong, in words"),
            ),
        ),
    ),
    "payment_plan_confirmation": (PLAN,),
    "agreement_confirmation": (
        _p(
            "agreement", GROUP, "what was agreed with the debtor by phone or otherwise, confirmed in writing",
            _p("on", DATE, "date of the call or contact"),
            _p("phone", FLAG, "yes when it was a phone call"),
            _p("contact", OPTIONAL_TEXT, "who we spoke to"),
            _p("summary", TEXT, "what was agreed, in the clerk's words"),
            _p("promised_date", OPTIONAL_DATE, "the date the debtor promised to pay by, when it promised"),
        ),
    ),
    "instalment_reminder": (
        PLAN,
        _p(
            "instalment", GROUP, "the instalment this reminder is about",
            _p("number", NUMBER, "which instalment (1, 2, …)"),
            _p("due_date", DATE, "date it had to be paid by"),
            _p("amount", AMOUNT, "amount of the instalment"),
        ),
    ),
    "business_notice": (
        _p(
            "notice", GROUP, "a notice to the business itself about something it should fix",
            _p("title", TEXT, "one line, e.g. No general address known for Jansen B.V."),
            _p("message", TEXT, "what happened and why it matters"),
            _p("action", OPTIONAL_TEXT, "what to do about it, in words a bookkeeper understands"),
            _p("api", OPTIONAL_TEXT, "the API call that does it, for whoever automates (a footnote)"),
        ),
    ),
}

# What each letter must show; lint refuses a template under that name without them.
REQUIRED: dict[str, tuple[str, ...]] = {
    "courtesy": ("invoices.number", "invoices.due_date", "payment.iban"),
    "reminder": ("invoices.number", "total_open", "payment.iban", "payment.reference"),
    "firm_reminder": ("invoices.number", "total_open", "payment.iban", "payment.reference"),
    "last_reminder": ("invoices.number", "total_open", "payment.iban", "payment.reference", "letter.deadline"),
    "fourteen_day_letter": ("invoices.number", "total_open", "costs.amount", "payment.iban", "payment.reference"),
    "final_notice": ("invoices.number", "total_open", "history.date", "history.description", "letter.deadline",
                     "payment.iban", "payment.reference"),
    "promise_broken": ("promise.date", "invoices.number", "total_open", "payment.iban", "payment.reference"),
    "payment_plan_confirmation": ("plan.instalments.due_date", "plan.instalments.amount", "payment.iban",
                                  "payment.reference"),
    "agreement_confirmation": ("agreement.on", "agreement.summary", "invoices.number", "payment.iban",
                               "payment.reference"),
    "instalment_reminder": ("instalment.amount", "instalment.due_date", "payment.iban", "payment.reference"),
    "invoice_copy": ("invoices.number", "payment.iban", "payment.reference"),
    "thank_you": ("invoices.number",),
    "business_notice": ("notice.title", "notice.message"),
    "invoice_problem": ("document.filename", "document.problems.message"),
}

# Dutch words staff are likely to type, mapped to the vocabulary, to make "did you mean" useful.
DUTCH_WORDS = {
    "debiteur": "debtor", "klant": "debtor", "bedrijf": "business", "onderneming": "business",
    "facturen": "invoices", "factuur": "invoices", "brief": "letter", "betaling": "payment",
    "naam": "name", "adres": "address", "contactpersoon": "contact_name", "nummer": "number",
    "factuurnummer": "number", "factuurdatum": "issue_date", "vervaldatum": "due_date",
    "bedrag": "amount", "openstaand": "open_amount", "totaal": "total_open", "valuta": "currency",
    "datum": "date", "kenmerk": "reference", "termijn": "deadline", "telefoon": "phone",
}


def placeholders_for(name: str | None = None) -> tuple[Placeholder, ...]:
    """Placeholders a template of this name may use; with no name, every declared one."""
    if name is None:
        # A placeholder several letters share (plan) is declared once.
        extras = tuple({p.name: p for group in EXTRA_PLACEHOLDERS.values() for p in group}.values())
    else:
        extras = EXTRA_PLACEHOLDERS.get(name, ())
    return PLACEHOLDERS + extras


def dotted_paths(placeholders: tuple[Placeholder, ...], prefix: str = "") -> list[str]:
    """Every placeholder as a dotted path (`debtor.name`, `invoices.number`), for suggestions and docs."""
    paths = []
    for p in placeholders:
        path = f"{prefix}{p.name}"
        paths.append(path)
        paths.extend(dotted_paths(p.fields, path + "."))
    return paths


def with_defaults(context: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """Copy of `context` where optional placeholders missing from a group are None, so a template may test them."""
    out = dict(context)
    for p in placeholders_for(name):
        group = out.get(p.name)
        if p.type == GROUP and isinstance(group, dict):
            missing = {f.name: None for f in p.fields if f.optional and f.name not in group}
            if missing:
                out[p.name] = {**group, **missing}
    return out




from letter_templates.sample import sample_context  # noqa: E402  (re-exported: previews import it from here)

__all__ = ["PLACEHOLDERS", "EXTRA_PLACEHOLDERS", "REQUIRED", "Placeholder", "sample_context"]
