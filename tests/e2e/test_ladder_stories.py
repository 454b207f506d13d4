"""Whole ladders, walked the way a user would: one invoice BCC'd, the debtor set through the API, then the
clock moved a week at a time from before the due date until the invoice is handed off, against the real SMTP
server. Each case checks every letter's step, language, recipients, legal amounts and wording."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from tests.factories.mail import invoice_mail

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")
ISSUE, DUE = date(2027, 1, 4), date(2027, 2, 3)
FIRST_TICK = date(2027, 1, 6)  # Wednesdays: no Dutch or Belgian public holiday falls on one in these months


@dataclass
class Case:
    name: str
    country: str
    consumer: bool
    language: str
    amount: str
    steps: list[str]
    words: dict[str, list[str]]  # step -> phrases its letter must contain
    absent: list[str] = field(default_factory=list)  # phrases no letter may contain


CASES = [
    Case("nl-business", "NL", False, "nl", "1210.00",
         ["arrival_check", "courtesy", "reminder", "firm_reminder", "last_reminder", "final_notice"],
         {"firm_reminder": ["wettelijke handelsrente (artikel 6:119a BW)", "(artikel 6:96 lid 4 BW), € 40,00"],
          "last_reminder": ["algemene adres", "laatste sommatie", "€ 40,00", "handelsrente"],
          "final_notice": ["Laatste sommatie", "zonder verdere aankondiging", "€ 40,00"]},
         absent=["Besluit vergoeding", "wettelijke rente (artikel 6:119 BW)"]),
    Case("nl-consumer", "NL", True, "nl", "1210.00",
         ["arrival_check", "courtesy", "reminder", "fourteen_day_letter.email_copy", "last_reminder",
          "final_notice"],
         {"fourteen_day_letter.email_copy": ["kopie per e-mail van de brief die wij u vandaag per post",
                                             "veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
                                             "€ 181,50", "Besluit vergoeding voor buitengerechtelijke incassokosten"],
          "last_reminder": ["€ 181,50", "wettelijke rente (artikel 6:119 BW)"],
          "final_notice": ["€ 181,50", "Laatste sommatie"]},
         absent=["algemene adres", "in kopie", "organisatie", "handelsrente"]),
    Case("be-consumer-nl", "BE", True, "nl", "1000.00",
         ["arrival_check", "courtesy", "fourteen_day_letter.email_copy", "last_reminder",
          "final_notice"],
         {"fourteen_day_letter.email_copy": ["Eerste herinnering", "kosteloos", "veertien kalenderdagen",
                                             "derde werkdag na de verzending van deze brief",
                                             "€ 90,00", "boek XIX van het Wetboek van economisch recht"],
          "last_reminder": ["€ 90,00", "wettelijke interestvoet"]},
         absent=["6:96", "6:119", "Besluit vergoeding", "BW", "algemene adres", "in kopie"]),
    Case("be-consumer-fr", "BE", True, "fr", "1000.00",
         ["arrival_check", "courtesy", "fourteen_day_letter.email_copy", "last_reminder",
          "final_notice"],
         {"fourteen_day_letter.email_copy": ["Premier rappel", "gratuit", "copie par e-mail",
                                             "quatorze jours calendrier", "90,00 €",
                                             "livre XIX du Code de droit économique"],
          "last_reminder": ["90,00 €", "taux d'intérêt légal"],
          "final_notice": ["Dernière mise en demeure"]},
         absent=["6:96", "6:119", "néerlandais", "adresse générale", "en copie"]),
    Case("be-business", "BE", False, "nl", "1000.00",
         ["arrival_check", "courtesy", "reminder", "firm_reminder", "last_reminder", "final_notice"],
         {"firm_reminder": ["wet van 2 augustus 2002", "(wet van 2 augustus 2002), € 40,00"],
          "last_reminder": ["algemene adres", "€ 40,00"]},
         absent=["6:96", "6:119", "Besluit vergoeding", "handelsrente"]),
    Case("en-business", "NL", False, "en", "1210.00",
         ["arrival_check", "courtesy", "reminder", "firm_reminder", "last_reminder", "final_notice"],
         {"reminder": ["Reminder", "€1,210.00"],
          "firm_reminder": ["statutory commercial interest (article 6:119a of the Dutch Civil Code)"],
          "last_reminder": ["general address"], "final_notice": ["Final notice", "without further notice"]},
         absent=["Geachte", "factuur"]),
]


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=10), AMS)


def step_of(message) -> str:  # type: ignore[no-untyped-def]
    # Message-IDs are deterministic: <bB.dD.iI.STEP[.suffix]@domain>
    key = message["Message-ID"].strip("<>").split("@")[0]
    step = key.split(".", 3)[3]
    return step.replace(".copy", ".email_copy")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ladder_reaches_hand_off(service, smtp_server, case: Case) -> None:
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    headers = {"X-API-Key": key}
    assert service.api.patch("/business", json={"country": case.country}, headers=headers).status_code == 200
    service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                                to="piet@klant.example", bcc=service.ingest_address("Bakkerij Jansen"),
                                number="2027-0001",
                                issue=ISSUE, due=DUE, amount=case.amount, buyer_name="Klant Piet",
                                general_email="info@klant.example",
                                language=case.language if case.language in ("nl", "en") else "nl"))
    assert [o.status for o in service.ingest().outcomes] == ["processed"]
    invoice = service.get("/invoices", key).json()[0]
    debtor_id = invoice["debtor"]["id"]
    change = {"is_consumer": case.consumer, "language": case.language,
              "general_email": None if case.consumer else "info@klant.example",
              "address": "Dorpsstraat 1\n1234 AB Dorp"}
    assert service.api.put(f"/debtors/{debtor_id}", json=change, headers=headers).status_code == 200

    day = FIRST_TICK
    while day <= DUE + timedelta(days=150):
        service.tick(at(day))
        service.work()
        day += timedelta(days=7)

    final = service.get(f"/invoices/{invoice['id']}", key).json()
    assert final["status"] == "handed_off", final["status_reason"]
    letters = [message_from_bytes(m.raw, policy=policy.default) for m in smtp_server.messages]
    letters = [m for m in letters if str(m["To"]) != "billing@jansen.example"]  # notices to the business
    # (a consumer's 14-day letter itself is on paper, in the print queue: e-mail carries its copy)
    assert [step_of(m) for m in letters] == case.steps
    texts = {step_of(m): m.get_body(("plain",)).get_content() for m in letters}
    for step, phrases in case.words.items():
        for phrase in phrases:
            assert phrase in texts[step], (step, phrase)
    for step, text in texts.items():
        for phrase in case.absent:
            assert phrase not in text, (step, phrase)
    for message in letters:
        step, to, cc = step_of(message), str(message["To"]), str(message.get("Cc") or "")
        if not case.consumer and step in ("last_reminder", "final_notice"):
            assert (to, cc) == ("info@klant.example", "piet@klant.example"), step
        else:
            assert (to, cc) == ("piet@klant.example", ""), step
    if case.consumer:  # the 14-day letter itself went to the print queue, with the address in its window
        queued = service.get("/print-queue", key).json()
        assert [row["step"] for row in queued] == ["fourteen_day_letter"]


def test_a_broken_promise_gets_its_own_letter_and_a_part_payment_is_acknowledged(service, smtp_server) -> None:
    from tests.factories.mail import reply_mail

    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    headers = {"X-API-Key": key}
    service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                                to="piet@klant.example", bcc=service.ingest_address("Bakkerij Jansen"),
                                number="2027-0001",
                                issue=ISSUE, due=DUE, amount="1210.00", buyer_name="Klant Piet"))
    service.ingest()
    invoice = service.get("/invoices", key).json()[0]
    service.api.put(f"/debtors/{invoice['debtor']['id']}", json={"general_email": "info@klant.example"},
                    headers=headers)
    day = FIRST_TICK
    while day <= date(2027, 2, 10):  # arrival check, courtesy note, reminder (10 February)
        service.tick(at(day))
        service.work()
        day += timedelta(days=7)
    reminder = message_from_bytes(smtp_server.messages[-1].raw, policy=policy.default)
    assert step_of(reminder) == "reminder"
    service.append(reply_mail(sender="piet@klant.example", to=reminder["Reply-To"].addresses[0].addr_spec,
                              in_reply_to=reminder["Message-ID"], subject="Re: " + reminder["Subject"],
                              body="Beste,\n\nWij betalen de factuur op 17 februari 2027.\n\nGroet, Piet"))
    service.ingest()
    paid = service.api.post(f"/invoices/{invoice['id']}/payments", json={"amount": "210.00", "paid_on": "2027-02-10"},
                            headers=headers)
    assert paid.status_code == 200, paid.text
    smtp_server.clear()
    while day <= DUE + timedelta(days=150):
        service.tick(at(day))
        service.work()
        day += timedelta(days=7)
    letters = [message_from_bytes(m.raw, policy=policy.default) for m in smtp_server.messages]
    letters = [m for m in letters if str(m["To"]) != "billing@jansen.example"]
    # the firm reminder's turn goes to the letter about the promise; the ladder then goes on to the end
    assert [step_of(m) for m in letters] == ["firm_reminder", "last_reminder", "final_notice"]
    broken = letters[0].get_body(("plain",)).get_content()
    assert letters[0]["Subject"].startswith("Uw betaalbelofte")
    assert "uiterlijk 17 februari 2027 zou betalen" in broken
    assert "€ 210,00 van u ontvangen" in broken and "Er staat nog € 1.000,00 open" in broken
    final = letters[-1].get_body(("plain",)).get_content()
    assert "Betaalbelofte: betaling vóór 17 februari 2027" in final and "Betaling ontvangen: € 210,00" in final
    assert service.get(f"/invoices/{invoice['id']}", key).json()["status"] == "handed_off"
