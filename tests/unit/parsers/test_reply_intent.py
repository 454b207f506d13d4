"""reply_intent: labelled Dutch, English, German and French replies for every intent and every date form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parsers.reply import reply_intent

TODAY = date(2025, 1, 15)  # a Wednesday

# (text, kind, promised_date) — every promise date form the issue names, in both main languages.
PROMISES = [
    ("Wij betalen de factuur volgende week vrijdag.", date(2025, 1, 24)),
    ("We will pay the invoice on Friday next week.", date(2025, 1, 24)),
    ("De betaling volgt eind van de maand.", date(2025, 1, 31)),
    ("We will pay by the end of the month.", date(2025, 1, 31)),
    ("Het bedrag wordt op 15/12 overgemaakt.", date(2025, 12, 15)),
    ("We will transfer the amount on 15/12.", date(2025, 12, 15)),
    ("Ik maak het morgen over.", date(2025, 1, 16)),
    ("I will pay tomorrow.", date(2025, 1, 16)),
    ("We'll pay next Friday.", date(2025, 1, 17)),
    ("We betalen vrijdag.", date(2025, 1, 17)),
    ("Betaling volgt over twee weken.", date(2025, 1, 29)),
    ("The payment will go out in 10 days.", date(2025, 1, 25)),
    ("Wij zullen uiterlijk 31 januari betalen.", date(2025, 1, 31)),
    ("We will pay on February 3rd.", date(2025, 2, 3)),
    ("We betalen op 20-01-2025.", date(2025, 1, 20)),
    ("De factuur wordt begin volgende maand voldaan.", date(2025, 2, 7)),
    ("We will pay next month.", date(2025, 2, 28)),
    ("Betaling staat ingepland in week 6.", date(2025, 2, 7)),
    ("We hebben nog niet betaald, maar doen dat eind van de maand.", date(2025, 1, 31)),
    ("Wir werden die Rechnung nächste Woche bezahlen.", date(2025, 1, 24)),
    ("Nous allons payer la facture vendredi prochain.", date(2025, 1, 17)),
    # An ordinal day's full stop ends no sentence: the month after it belongs to the date.
    ("Die Zahlung ist für den 3. Februar eingeplant.", date(2025, 2, 3)),
    ("Wij betalen op 7. februari.", date(2025, 2, 7)),
]


@pytest.mark.parametrize(("text", "promised"), PROMISES)
def test_promise_to_pay_and_its_date(text, promised):
    intent = reply_intent(text, TODAY)
    assert intent.kind == "promise_to_pay", intent
    assert intent.promised_date == promised
    assert intent.confidence >= 0.7


def test_promise_without_a_date_is_low_confidence():
    intent = reply_intent("We will pay the invoice as soon as possible.", TODAY)
    assert intent.kind == "promise_to_pay" and intent.promised_date is None and intent.confidence < 0.7


def test_promise_date_follows_today():
    assert reply_intent("We betalen morgen.", date(2025, 12, 31)).promised_date == date(2026, 1, 1)
    assert reply_intent("We pay on 15/01.", date(2025, 12, 20)).promised_date == date(2026, 1, 15)


PAID = [
    ("We hebben de factuur gisteren betaald.", date(2025, 1, 14), None),
    ("We paid the invoice yesterday.", date(2025, 1, 14), None),
    ("Het bedrag van € 450,00 is op 13-01-2025 overgemaakt.", date(2025, 1, 13), Decimal("450.00")),
    ("The invoice was paid on 10 January, EUR 1,210.00.", date(2025, 1, 10), Decimal("1210.00")),
    ("Die Rechnung haben wir gestern überwiesen.", date(2025, 1, 14), None),
    ("La facture a été réglée le 10 janvier.", date(2025, 1, 10), None),
    ("Factuur F2025-17 is al voldaan.", None, None),
]


@pytest.mark.parametrize(("text", "paid_on", "amount"), PAID)
def test_paid_with_date_and_amount(text, paid_on, amount):
    intent = reply_intent(text, TODAY)
    assert intent.kind == "paid", intent
    assert intent.paid_date == paid_on
    assert intent.amount == amount


OTHERS = [
    ("Wij zijn het niet eens met het bedrag, de uren kloppen niet.", "dispute"),
    ("De factuur is niet correct: er staan uren op die niet gewerkt zijn.", "dispute"),
    ("We dispute this invoice, the goods arrived damaged.", "dispute"),
    ("We never ordered this.", "dispute"),
    ("Die Rechnung stimmt nicht.", "dispute"),
    ("Nous contestons cette facture.", "dispute"),
    ("Kunt u mij een kopie van de factuur sturen? Ik heb hem nooit ontvangen.", "copy_request"),
    ("Could you send me a copy of the invoice?", "copy_request"),
    ("I have not received the invoice, can you resend it?", "copy_request"),
    ("Wir haben keine Rechnung erhalten.", "copy_request"),
    ("Kunnen we een betalingsregeling treffen? We kunnen niet in één keer betalen.", "payment_plan_request"),
    ("Is it possible to pay in instalments?", "payment_plan_request"),
    ("Können wir eine Ratenzahlung vereinbaren?", "payment_plan_request"),
    ("Jan werkt hier niet meer, stuur uw mail voortaan naar administratie@klant.nl", "wrong_contact"),
    ("Peter no longer works here, please send invoices to ap@customer.com.", "wrong_contact"),
    ("Ik ben niet de juiste persoon voor facturen.", "wrong_contact"),
    ("Frau Müller ist nicht mehr bei uns.", "wrong_contact"),
    ("Bedankt voor uw bericht.", "other"),
    ("Thanks, noted.", "other"),
]


@pytest.mark.parametrize(("text", "kind"), OTHERS)
def test_other_intents(text, kind):
    intent = reply_intent(text, TODAY)
    assert intent.kind == kind, intent
    if kind == "other":
        assert intent.confidence < 0.5
    else:
        assert intent.reason


def test_dispute_keeps_its_reason():
    intent = reply_intent("Hallo,\n\nDe factuur klopt niet: we hebben 3 uur besteld, niet 5.\n\nGroet", TODAY)
    assert intent.kind == "dispute" and "3 uur besteld" in intent.reason


def test_mixed_intents_need_a_person():
    intent = reply_intent("We betwisten regel 2. De rest betalen we vrijdag.", TODAY)
    assert intent.kind == "dispute" and intent.confidence < 0.7


def test_paid_is_not_read_from_a_negation():
    assert reply_intent("We have not paid yet.", TODAY).kind != "paid"
    assert reply_intent("Het is nog niet betaald.", TODAY).kind != "paid"


def test_empty_reply_is_other_with_low_confidence():
    intent = reply_intent("", TODAY)
    assert intent.kind == "other" and intent.confidence < 0.5
