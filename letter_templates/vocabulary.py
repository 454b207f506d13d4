"""The documented placeholder vocabulary every letter template may use, with sample data and per-letter needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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


@dataclass(frozen=True)
class Placeholder:
    """One placeholder: its name, type, what it means, and (for groups and lists) its fields."""

    name: str
    type: str
    description: str
    fields: tuple[Placeholder, ...] = ()

    @property
    def optional(self) -> bool:
        return self.type in (OPTIONAL_TEXT, OPTIONAL_DATE, IMAGE)

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
        _p("address", OPTIONAL_TEXT, "postal address, may span lines"),
    ),
    _p("invoices", LIST, "the open invoices this letter is about", *INVOICE_FIELDS),
    _p("total_open", AMOUNT, "sum of the open amounts of all invoices in the letter"),
    _p("currency", TEXT, "currency of total_open, e.g. EUR"),
    _p(
        "letter", GROUP, "this letter",
        _p("date", DATE, "date of the letter"),
        _p("step", TEXT, "ladder step, e.g. reminder or last_reminder"),
        _p("reference", TEXT, "our reference for this letter"),
        _p("deadline", OPTIONAL_DATE, "pay-by date stated in the letter, when the step has one"),
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
    "fourteen_day_letter": (
        _p(
            "costs", GROUP, "collection costs (WIK) announced in the 14-day letter",
            _p("amount", AMOUNT, "exact collection costs that will be charged if the debtor does not pay"),
            _p("interest", AMOUNT, "statutory interest accrued so far"),
        ),
    ),
    "final_notice": (
        _p(
            "history", LIST, "every contact about these invoices so far, oldest first (the dossier)",
            _p("date", DATE, "when it happened"),
            _p("channel", TEXT, "how: e-mail, letter, phone, …"),
            _p("description", TEXT, "what was sent or said, e.g. Reminder sent to a.devries@jansenbouw.nl"),
        ),
    ),
    "payment_plan_confirmation": (PLAN,),
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
            _p("action", OPTIONAL_TEXT, "what to do about it, e.g. which API call adds the address"),
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
    "payment_plan_confirmation": ("plan.instalments.due_date", "plan.instalments.amount", "payment.iban",
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


def sample_context(name: str | None = None) -> dict[str, Any]:
    """A realistic context (Dutch business, Dutch debtor, two invoices) for previews, lint and tests; for an
    instalment reminder the payment asks for the instalment, not the whole debt."""
    context = _sample()
    if name == "instalment_reminder":
        context["payment"]["amount"] = context["instalment"]["amount"]
    return context


def _sample() -> dict[str, Any]:
    invoices = [
        {
            "number": "2026-0142", "issue_date": date(2026, 9, 15), "due_date": date(2026, 10, 15),
            "amount": Decimal("1234.56"), "open_amount": Decimal("1234.56"), "currency": "EUR",
            "days_overdue": 42,
        },
        {
            "number": "2026-0157", "issue_date": date(2026, 10, 1), "due_date": date(2026, 10, 31),
            "amount": Decimal("2450.00"), "open_amount": Decimal("850.00"), "currency": "EUR",
            "days_overdue": 26,
        },
    ]
    total = sum((Decimal(str(i["open_amount"])) for i in invoices), Decimal("0"))
    return {
        "business": {
            "name": "Van Dijk Installatietechniek B.V.",
            "email": "administratie@vandijk-installatie.nl",
            "address": "Industrieweg 12\n3542 AD Utrecht",
            "iban": "NL91ABNA0417164300",
            "phone": "030 123 45 67",
            "website": "www.vandijk-installatie.nl",
        },
        "debtor": {
            # The ampersand is deliberate: previews must show names that need XML escaping.
            "name": "Bouwbedrijf Jansen & Zn. B.V.",
            "contact_name": "Anna de Vries",
            "email": "a.devries@jansenbouw.nl",
            "general_email": "info@jansenbouw.nl",
            "address": "Havenstraat 8\n1271 AE Huizen",
        },
        "invoices": invoices,
        "total_open": total,
        "currency": "EUR",
        "letter": {
            "date": date(2026, 11, 26), "step": "reminder", "reference": "HER-2026-0142",
            "deadline": date(2026, 12, 10),
        },
        "payment": {
            "iban": "NL91ABNA0417164300", "reference": "RF18539007547034", "bic": "ABNANL2A",
            "amount": total,
            "link": "https://betaal.vandijk-installatie.nl/HER-2026-0142",
        },
        "document": {
            "filename": "factuur-2026-0163.pdf", "received_at": date(2026, 11, 25),
            "subject": "Factuur 2026-0163 Bouwbedrijf Jansen", "sender": "administratie@vandijk-installatie.nl",
            "problems": [
                {"code": "missing_due_date", "field": "due_date",
                 "message": "no due date or payment term found"},
                {"code": "missing_buyer_email", "field": "buyer.email",
                 "message": "no e-mail address for the customer"},
            ],
        },
        "costs": {"amount": Decimal("312.30"), "interest": Decimal("41.17")},
        "history": [
            {"date": date(2026, 9, 15), "channel": "e-mail", "description": "Invoice 2026-0142 sent"},
            {"date": date(2026, 10, 12), "channel": "e-mail", "description": "Courtesy check sent"},
            {"date": date(2026, 10, 16), "channel": "e-mail",
             "description": "Reminder sent to a.devries@jansenbouw.nl"},
            {"date": date(2026, 10, 29), "channel": "e-mail", "description": "Formal notice sent"},
            {"date": date(2026, 11, 2), "channel": "phone", "description": "Anna de Vries: payment next week"},
            {"date": date(2026, 11, 12), "channel": "e-mail",
             "description": "Last reminder sent to info@jansenbouw.nl"},
        ],
        "plan": {
            "total": Decimal("2084.56"),
            "instalments": [
                {"number": 1, "due_date": date(2026, 12, 1), "amount": Decimal("700.00")},
                {"number": 2, "due_date": date(2027, 1, 1), "amount": Decimal("700.00")},
                {"number": 3, "due_date": date(2027, 2, 1), "amount": Decimal("684.56")},
            ],
        },
        "instalment": {"number": 1, "due_date": date(2026, 12, 1), "amount": Decimal("700.00")},
        "notice": {
            "title": "No general e-mail address known for Bouwbedrijf Jansen & Zn. B.V.",
            "message": "The last reminder for invoice 2026-0142 should go to the company's general address with "
                       "the contact in copy, but none is known, so it went to Anna de Vries only.",
            "action": "Add the address with PUT /debtors/17 (general_email), e.g. info@jansenbouw.nl.",
        },
    }
