"""The words of the notice that tells a business a customer paid more than was open, in Dutch and English."""

from decimal import Decimal

from letter_templates.filters import money
from worker.usecases.notice_texts import Notice


def overpayment_notice(language: str, *, payment_id: int, invoice_id: int, invoice: str, debtor: str,
                       currency: str, received: Decimal, credit: Decimal) -> Notice:
    """Once per payment: how much arrived, how much is kept as the customer's credit, and what to do with it."""
    lang = "nl" if language == "nl" else "en"
    got, surplus = money(received, currency, lang), money(credit, currency, lang)
    if lang == "nl":
        return Notice(f"overpayment.p{payment_id}", f"{debtor} heeft {surplus} te veel betaald op factuur {invoice}",
                      f"Op factuur {invoice} is {got} ontvangen. Dat is {surplus} meer dan er openstond. De factuur "
                      f"is nu betaald en het verschil staat als tegoed van {debtor} geboekt.",
                      f"Betaal {surplus} terug aan de klant of verreken het met een volgende factuur. Een "
                      f"vergissing? Draai de betaling terug met POST /invoices/{invoice_id}/payments/{payment_id}"
                      "/reversal.")
    return Notice(f"overpayment.p{payment_id}", f"{debtor} paid {surplus} too much on invoice {invoice}",
                  f"{got} was received on invoice {invoice}. That is {surplus} more than was open. The invoice is "
                  f"now paid and the difference is booked as a credit for {debtor}.",
                  f"Refund {surplus} to the customer or settle it against a later invoice. A mistake? Reverse the "
                  f"payment with POST /invoices/{invoice_id}/payments/{payment_id}/reversal.")
