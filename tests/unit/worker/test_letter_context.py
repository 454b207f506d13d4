"""The letter context the worker hands to templates: grouped invoices, totals and the 14-dagenbrief's costs."""

from datetime import UTC, date, datetime
from decimal import Decimal

from worker.adapters.letters import letter_context
from worker.db.models import Business, Debtor, Invoice
from worker.domain.step import Step

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)


def invoice(number: str, amount: str, paid: str = "0", due: date = date(2027, 1, 1)) -> Invoice:
    return Invoice(id=1, number=number, issue_date=date(2026, 12, 1), due_date=due, currency="EUR",
                   amount_due=Decimal(amount), amount_paid=Decimal(paid), payment_reference=None)


BUSINESS = Business(id=1, name="Jansen", from_address="billing@jansen.example", iban="NL91ABNA0417164300",
                    settings={"payment_link_pattern": "https://pay.example/{reference}"})


def test_one_letter_lists_every_invoice_and_asks_for_what_remains():
    debtor = Debtor(id=2, name="Klant", contact_email="ap@klant.example", is_consumer=False)
    context = letter_context(BUSINESS, debtor, [invoice("F-1", "100.00", paid="40.00"), invoice("F-2", "21.00")],
                             Step("reminder", 2, "reminder"), NOW)
    assert [row["open_amount"] for row in context["invoices"]] == [Decimal("60.00"), Decimal("21.00")]
    assert context["total_open"] == Decimal("81.00")
    assert context["payment"]["reference"] == "F-1 F-2"
    assert context["payment"]["link_pattern"] == "https://pay.example/{reference}"
    # A business debtor's friendly reminder claims nothing yet: costs and interest wait for later letters.
    assert context["claim"]["costs_due"] is False and context["claim"]["total"] == Decimal("81.00")
    assert context["claim"]["interest_kind"] == "nl_commercial" and context["history"] == []


def test_fourteen_day_letter_states_the_costs_and_interest():
    debtor = Debtor(id=2, name="Piet", contact_email="piet@example.nl", is_consumer=True)
    step = Step("fourteen_day_letter", 14, "fourteen_day_letter", statutory_term=True)
    context = letter_context(BUSINESS, debtor, [invoice("F-1", "121.00")], step, NOW)
    assert context["costs"]["amount"] == Decimal("40.00")  # 15% of 121 is below the 40 euro minimum
    # consumer rate (4% in 2027 per the data table) over 31 Jan + 28 Feb days of default: a few tenths of a euro
    assert Decimal("0") < context["costs"]["interest"] < Decimal("1")
