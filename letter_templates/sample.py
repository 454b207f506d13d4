"""Realistic sample data for previews, `dunning letter render` and lint: built by the same builder as real letters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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

SENDER = Sender(name="Van Dijk Installatietechniek B.V.", email="administratie@vandijk-installatie.nl",
                iban="NL91ABNA0417164300", address="Industrieweg 12\n3542 AD Utrecht", phone="030 123 45 67",
                website="www.vandijk-installatie.nl", bic="ABNANL2A")
# The ampersand is deliberate: previews must show names that need XML escaping.
RECIPIENT = Recipient(name="Bouwbedrijf Jansen & Zn. B.V.", email="a.devries@jansenbouw.nl",
                      contact_name="Anna de Vries", general_email="info@jansenbouw.nl",
                      address="Havenstraat 8\n1271 AE Huizen")
INVOICES = (
    InvoiceLine("2026-0142", date(2026, 9, 15), date(2026, 10, 15), Decimal("1234.56"), Decimal("1234.56")),
    InvoiceLine("2026-0157", date(2026, 10, 1), date(2026, 10, 31), Decimal("2450.00"), Decimal("850.00"),
                paid=Decimal("1600.00")),
)
HISTORY = (
    Contact(date(2026, 9, 15), "invoice_sent", detail="2026-0142"),
    Contact(date(2026, 10, 12), "step:courtesy", who="a.devries@jansenbouw.nl"),
    Contact(date(2026, 10, 16), "step:reminder", who="a.devries@jansenbouw.nl"),
    Contact(date(2026, 10, 29), "step:firm_reminder", who="a.devries@jansenbouw.nl"),
    Contact(date(2026, 11, 2), "promise", channel="phone", detail=date(2026, 11, 9)),
    Contact(date(2026, 11, 12), "step:last_reminder", who="info@jansenbouw.nl"),
)
TOTAL = sum((i.open_amount for i in INVOICES), Decimal("0"))
PLAN = {
    "total": Decimal("2084.56"),
    "instalments": [
        {"number": 1, "due_date": date(2026, 12, 1), "amount": Decimal("700.00")},
        {"number": 2, "due_date": date(2027, 1, 1), "amount": Decimal("700.00")},
        {"number": 3, "due_date": date(2027, 2, 1), "amount": Decimal("684.56")},
    ],
}


def sample_input(name: str | None = None) -> LetterInput:
    """The sample letter: a Dutch business writes to a Dutch company about two invoices, one partly paid."""
    instalment = {"number": 1, "due_date": date(2026, 12, 1), "amount": Decimal("700.00")}
    extra: dict[str, Any] = {
        "document": {
            "filename": "factuur-2026-0163.pdf", "received_at": date(2026, 11, 25),
            "subject": "Factuur 2026-0163 Bouwbedrijf Jansen", "sender": "administratie@vandijk-installatie.nl",
            "problems": [
                {"code": "missing_due_date", "field": "due_date", "message": "no due date or payment term found"},
                {"code": "missing_buyer_email", "field": "buyer.email",
                 "message": "no e-mail address for the customer"},
            ],
        },
        "plan": PLAN,
        "instalment": instalment,
        "agreement": {"on": date(2026, 11, 2), "phone": True, "contact": "Anna de Vries",
                      "summary": "Invoice 2026-0142 is paid in full by 9 November; the rest follows in December.",
                      "promised_date": date(2026, 11, 9)},
        "notice": {
            "title": "No general e-mail address known for Bouwbedrijf Jansen & Zn. B.V.",
            "message": "The last reminder for invoice 2026-0142 should go to the company's general address with "
                       "the contact in copy, but none is known, so it went to Anna de Vries only.",
            "action": "Add the company's general e-mail address (e.g. info@jansenbouw.nl) to this customer.",
            "api": "PUT /debtors/17 with general_email",
        },
    }
    # The escalations go to the company's general address with the contact in copy; the others to the contact.
    escalation = name in ("last_reminder", "final_notice", "promise_broken")
    return LetterInput(
        sender=SENDER, recipient=RECIPIENT,
        letter=LetterData(step=name or "reminder", on=date(2026, 11, 26), reference="HER-2026-0142",
                          deadline=date(2026, 12, 10),
                          to=("info@jansenbouw.nl",) if escalation else ("a.devries@jansenbouw.nl",),
                          cc=("a.devries@jansenbouw.nl",) if escalation else ()),
        invoices=INVOICES,
        claim=ClaimData(country="NL", consumer=False, charges=True, interest_kind="nl_commercial",
                        interest_rate=Decimal("10.15"), interest=Decimal("41.17"), costs=Decimal("312.30"),
                        costs_kind="wik", costs_from=date(2026, 10, 16), total=TOTAL),
        received=Received(amount=Decimal("1600.00"), on=date(2026, 11, 20), to_principal=Decimal("1600.00"),
                          remaining=TOTAL),
        history=HISTORY, promise_date=date(2026, 11, 9), promises=1,
        payment_amount=instalment["amount"] if name == "instalment_reminder" else None,
        extra=extra)


def sample_context(name: str | None = None, language: str = "nl") -> dict[str, Any]:
    """A realistic context for previews, lint and tests; for an instalment reminder the payment asks for the
    instalment, not the whole debt."""
    context = build_context(sample_input(name), language)
    context["payment"]["link"] = "https://betaal.vandijk-installatie.nl/HER-2026-0142"
    return context
