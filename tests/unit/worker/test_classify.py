"""classify_message: generated labelled messages for every kind, and the measured targets on the real corpus."""

from __future__ import annotations

import io
import json
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.factories.invoice_xml import make_ubl
from worker.usecases.classify import classify_message

TODAY = date(2025, 1, 15)
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "emails"  # ../shared from the repo root
KEYS = {"kind", "intent", "promised_date", "invoice_numbers", "failed_recipients", "remittance_lines", "reply_text",
        "confidence"}


def mail(subject: str, body: str, *, sender: str = "Jan Jansen <jan@klant.nl>", headers: dict | None = None,
         attachments: list[tuple[str, str, bytes]] = (), in_reply_to: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "debiteuren+tok123@dunning.example"
    msg["Subject"] = subject
    msg["Message-ID"] = "<m1@klant.nl>"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


QUOTE = "\n\nOp 14 jan. 2025 om 09:00 schreef Debiteurenbeheer <debiteuren@leverancier.nl>:\n> Herinnering F2025-017"

# Out-of-office and acknowledgements from the common clients and ticket systems, with and without headers.
AUTO_REPLIES = {
    "outlook_nl_headers": mail("Automatisch antwoord: Herinnering factuur F2025-017",
                               "Ik ben afwezig tot en met 20 januari.", headers={
                                   "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}),
    "outlook_en_no_headers": mail("Automatic reply: Reminder invoice F2025-017",
                                  "I am out of the office until 20 January with limited access to e-mail."),
    "gmail_vacation_en": mail("Re: Reminder invoice F2025-017", "I'm on vacation until Monday.",
                              headers={"Auto-Submitted": "auto-replied", "Precedence": "bulk"}),
    "apple_x_autoreply": mail("Re: Herinnering", "Ik ben met vakantie.", headers={"X-Autoreply": "yes"}),
    "de_no_headers": mail("Abwesenheitsnotiz: Zahlungserinnerung", "Ich bin bis zum 20.01. nicht im Büro."),
    "de_headers": mail("Automatische Antwort: Zahlungserinnerung", "Ich bin derzeit abwesend.",
                       headers={"Auto-Submitted": "auto-replied"}),
    "fr_no_headers": mail("Réponse automatique : Relance facture", "Je suis absent du bureau jusqu'au 20 janvier."),
    "fr_headers": mail("Absence du bureau", "Je suis actuellement absent.", headers={"Auto-Submitted": "auto-replied"}),
    "nl_no_headers": mail("Afwezig: Herinnering factuur", "Ik ben momenteel afwezig en lees mijn mail niet."),
    "ticket_en": mail("[Ticket #48213] Thank you for contacting us", "We have received your request.",
                      headers={"Auto-Submitted": "auto-generated"}),
    "ticket_nl": mail("Ontvangstbevestiging: uw bericht", "Bedankt voor uw bericht, wij reageren binnen 2 werkdagen.",
                      headers={"X-Auto-Response-Suppress": "All", "Precedence": "auto_reply"}),
}


@pytest.mark.parametrize("name", sorted(AUTO_REPLIES))
def test_auto_replies(name):
    result = classify_message(AUTO_REPLIES[name], TODAY)
    assert result["kind"] == "auto_reply", result
    assert result["intent"] is None and result["reply_text"] is None


REPLIES = [
    ("Re: Herinnering factuur F2025-017", "Beste,\n\nWij betalen volgende week vrijdag.\n\nGroet, Jan" + QUOTE,
     "promise_to_pay", "2025-01-24"),
    ("Re: Reminder F2025-017", "Hi,\nWe'll pay by the end of the month.\n\nSent from my iPhone" + QUOTE,
     "promise_to_pay", "2025-01-31"),
    ("Re: Herinnering factuur F2025-017", "Deze factuur is gisteren betaald." + QUOTE, "paid", None),
    ("RE: Reminder", "We dispute this invoice: the goods arrived damaged.", "dispute", None),
    ("Re: Herinnering", "Kunt u de factuur nogmaals sturen? Ik heb hem niet ontvangen." + QUOTE, "copy_request", None),
    ("Re: Herinnering", "Is een betalingsregeling mogelijk?" + QUOTE, "payment_plan_request", None),
    ("Re: Herinnering", "Jan werkt hier niet meer." + QUOTE, "wrong_contact", None),
    ("Vraag over factuur F2025-017", "Waarom is het uurtarief verhoogd? Graag even bellen.", "other", None),
]


@pytest.mark.parametrize(("subject", "body", "intent", "promised"), REPLIES)
def test_replies_carry_intent_and_stripped_text(subject, body, intent, promised):
    result = classify_message(mail(subject, body, in_reply_to="<r1@dunning.example>"), TODAY)
    assert set(result) == KEYS
    assert result["kind"] == "reply" and result["intent"] == intent, result
    assert result["promised_date"] == promised
    assert "schreef" not in result["reply_text"] and "iPhone" not in result["reply_text"]
    assert "F2025-017" in result["invoice_numbers"] or "F2025-017" not in subject + body


def test_bounce_names_the_failed_recipient():
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.klant.nl>"
    report["To"] = "debiteuren@dunning.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("This is the mail system at host mx.klant.nl.\n\nI'm sorry to have to inform you that your "
                       "message could not be delivered.")
    report.add_attachment("Reporting-MTA: dns; mx.klant.nl\n\nFinal-Recipient: rfc822; Oud@Klant.nl\n"
                          "Action: failed\nStatus: 5.1.1\n", subtype="delivery-status")
    report.replace_header("Content-Type", report["Content-Type"].replace("multipart/mixed", "multipart/report"))
    result = classify_message(report.as_bytes(), TODAY)
    assert result["kind"] == "bounce" and [a.lower() for a in result["failed_recipients"]] == ["oud@klant.nl"]


def _xlsx() -> bytes:
    book = Workbook()
    for row in (["Factuur", "Betaald"], ["F2025-017", 1210], ["F2025-018", 2450.5], ["F2025-021", 300]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_remittance_with_xlsx_lists_every_invoice():
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raw = mail("Betalingsadvies", "Zie bijlage.", sender="Crediteuren <ap@klant.nl>",
               attachments=[("betalingsadvies.xlsx", xlsx, _xlsx())])
    result = classify_message(raw, TODAY)
    assert result["kind"] == "remittance"
    assert result["remittance_lines"] == [{"invoice_number": "F2025-017", "amount": "1210.00"},
                                          {"invoice_number": "F2025-018", "amount": "2450.50"},
                                          {"invoice_number": "F2025-021", "amount": "300.00"}]


def test_remittance_with_csv_and_body_text():
    csv = b"Factuurnummer;Betaald\nF2025-017;1.210,00\nF2025-021;300,00\n"
    result = classify_message(mail("Payment advice", "Attached.", attachments=[("advice.csv", "text/csv", csv)]),
                              TODAY)
    assert result["kind"] == "remittance" and len(result["remittance_lines"]) == 2
    body = mail("Betaling facturen", "Vandaag betaald:\nF2025-017  € 1.210,00\nF2025-021  € 300,00")
    assert classify_message(body, TODAY)["remittance_lines"][1] == {"invoice_number": "F2025-021", "amount": "300.00"}


def test_forwarded_invoice_document():
    raw = mail("Fwd: factuur", "Zie bijlage.", sender="Boekhouding <boekhouding@leverancier.nl>",
               attachments=[("F2025-030.xml", "application/xml", make_ubl(number="F2025-030"))])
    result = classify_message(raw, TODAY)
    assert result["kind"] == "invoice" and result["invoice_numbers"] == ["F2025-030"]


OTHER = {
    "read_receipt": mail("Gelezen: Herinnering factuur F2025-017", "Uw bericht is gelezen."),
    "newsletter": mail("Nieuwsbrief januari", "Lees ons laatste nieuws.", sender="nieuws@klant.nl",
                       headers={"List-Unsubscribe": "<mailto:unsub@klant.nl>", "Precedence": "bulk"}),
    "no_reply_notice": mail("Your account statement", "Please do not reply.", sender="no-reply@bank.example"),
    "spam": mail("*****SPAM***** cheap pills", "buy now", headers={"X-Spam-Flag": "YES"}),
}


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_messages(name):
    assert classify_message(OTHER[name], TODAY)["kind"] == "other"


def test_json_serialisable_and_pure():
    raw = mail("Re: Herinnering", "Wij betalen morgen.", in_reply_to="<r1@dunning.example>")
    first = classify_message(raw, TODAY)
    assert json.loads(json.dumps(first)) == first
    assert classify_message(raw, date(2025, 3, 1))["promised_date"] == "2025-03-02"


@pytest.mark.skipif(not CORPUS.exists(), reason="labelled e-mail corpus not present")
def test_corpus_targets():
    from bench.eval_emails import TARGETS, evaluate, ratios

    result = evaluate(CORPUS, TODAY)
    for measure, (right, total) in ratios(result["counts"]).items():
        assert total > 0, measure
        assert right / total >= TARGETS[measure], (measure, right, total, result["failures"][:10])


def test_a_newsletter_marked_bulk_is_other_mail():
    raw = (b"From: News <news@shop.example>\r\nTo: invoices@dunning.example\r\nSubject: Autumn offers\r\n"
           b"Precedence: bulk\r\n\r\nOur best offers this autumn.\r\n")
    assert classify_message(raw, date(2026, 12, 1))["kind"] == "other"
