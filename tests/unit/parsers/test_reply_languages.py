"""Quote headers, client footers, gateway banners and automatic answers beyond nl/en/de/fr, written for this suite."""

from __future__ import annotations

import pytest

from mailer.auto_reply import auto_reply_reason
from mailer.bounce import detect_bounce
from parsers.reply import strip_reply
from parsers.reply.mail_phrases import languages, phrases
from tests.factories.mail import reply_mail


def make_reply(*, subject: str, body: str, sender: str = "Jan <jan@klant.nl>") -> bytes:
    return reply_mail(sender=sender, to="Anna <anna@leverancier.nl>", in_reply_to="<r1@leverancier.nl>",
                      subject=subject, body=body)


NEW = "Dear Anna,\n\nWe will pay the invoice on Friday.\n\nKind regards,\nJan"
EU_LANGUAGES = {"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt",
                "nl", "pl", "pt", "ro", "sk", "sl", "sv"}

QUOTES = {
    "ro_gmail": "În mar., 3 feb. 2025 la 10:12, Anna de Vries <anna@leverancier.nl> a scris:\n> Memento",
    "pl_apple": "Wiadomość napisana przez Anna de Vries <anna@leverancier.nl> w dniu 03.02.2025, o godz. 10:12:"
                "\n\n> Przypomnienie",
    "uk_gmail": "пн, 3 лют. 2025 р. о 10:12 Anna de Vries <anna@leverancier.nl> написав:\n> Нагадування",
    "ar_gmail": "في الاثنين، 3 فبراير 2025، كتب Anna de Vries <anna@leverancier.nl>:\n> تذكير",
    "de_no_colon": "Am 03.02.2025 um 10:12 schrieb Anna de Vries <anna@leverancier.nl>\n\n> Erinnerung",
    "de_original_hyphen": "-----Original-Nachricht-----\nVon: Anna\nDatum: 03.02.2025\nAn: Jan\nBetreff: Mahnung",
    "cs_outlook": "Od: Anna de Vries <anna@leverancier.nl>\nOdesláno: pondělí 3. února 2025 10:12\nKomu: Jan\n"
                  "Předmět: Upomínka",
    "hu_outlook": "Feladó: Anna de Vries <anna@leverancier.nl>\nElküldve: 2025. február 3. 10:12\nCímzett: Jan\n"
                  "Tárgy: Fizetési emlékeztető",
    "fi_separator": "-----Alkuperäinen viesti-----\nLähettäjä: Anna\nLähetetty: 3. helmikuuta 2025\nAihe: Muistutus",
    "el_outlook": "Από: Anna de Vries <anna@leverancier.nl>\nΣτάλθηκε: Δευτέρα, 3 Φεβρουαρίου 2025 10:12 πμ\n"
                  "Προς: Jan\nΘέμα: Υπενθύμιση",
    "lv_separator": "-----Sākotnējais ziņojums-----\nNo: Anna\nNosūtīts: 2025. gada 3. februāris\nTēma: Atgādinājums",
}


@pytest.mark.parametrize("name", sorted(QUOTES))
def test_quote_headers_of_other_languages_are_cut(name):
    assert strip_reply(f"{NEW}\n\n{QUOTES[name]}") == NEW


@pytest.mark.parametrize("footer", [
    "Verzonden vanuit Outlook voor iOS", "Gesendet mit der mobilen Mail App", "Skickat från min iPhone",
    "Wysłane z mojego iPhone'a", "Trimis de pe iPhone-ul meu", "Odesláno z mého iPhonu",
    "Στάλθηκε από το iPhone μου", "Lähetetty iPhonesta",
])
def test_client_footers_of_other_languages_are_cut(footer):
    assert strip_reply(f"{NEW}\n\n{footer}\n\nOn Mon, Anna wrote:\n> x") == NEW


def test_a_sentence_starting_like_a_footer_is_kept():
    text = "Hallo Anna,\n\nVon meinem Konto ist der Betrag gestern abgegangen.\n\nGruß\nJan"
    assert strip_reply(text) == text


@pytest.mark.parametrize("banner", [
    "CAUTION: This email originated from outside of the organization. Do not click links or open attachments\n"
    "unless you recognize the sender and know the content is safe.",
    "[EXTERNAL] This message comes from an external sender.",
    "LET OP: Deze e-mail is afkomstig van buiten de organisatie. Klik niet op links.",
])
def test_gateway_banners_are_not_the_senders_words(banner):
    assert strip_reply(f"{banner}\n\n{NEW}") == NEW


def test_a_reply_mentioning_external_mail_is_kept():
    text = "Hi Anna,\n\nPlease use our external email address for invoices from now on.\n\nJan"
    assert strip_reply(text) == text


def test_the_table_covers_the_24_eu_languages_with_each_kind():
    assert EU_LANGUAGES <= set(languages())
    for kind in ("wrote", "original", "from_labels", "header_labels", "footers"):
        assert len(phrases(kind)) >= 24, kind


@pytest.mark.parametrize("subject", [
    "Automatyczna odpowiedź: Faktura F2025-17", "Răspuns automat: Factura F2025-17", "Samodejni odgovor: Račun",
    "Automatická odpověď: Faktura F2025-17", "Risposta automatica: Fattura F2025-17", "Автоматичен отговор: Фактура",
    "Automaattinen vastaus: Lasku F2025-17", "Αυτόματη απάντηση: Τιμολόγιο",
])
def test_out_of_office_in_any_eu_language_is_an_auto_reply(subject):
    raw = make_reply(subject=subject, body="Dziękuję za wiadomość. Wracam 12 lutego.")
    assert auto_reply_reason(raw)


def test_a_challenge_response_message_is_an_auto_reply():
    raw = make_reply(subject="Please verify your email address",
                     body="I use a spam filter. To have your message delivered, please confirm you are a human "
                          "by clicking the link below. Your message is pending until then.")
    assert auto_reply_reason(raw) == "challenge-response"


def test_a_person_asking_to_confirm_an_address_is_not_an_auto_reply():
    raw = make_reply(subject="Re: Invoice F2025-17", body="Could you confirm the invoice address? We pay Friday.")
    assert auto_reply_reason(raw) is None


def test_a_mailbox_full_notice_without_dsn_fields_is_a_bounce():
    raw = make_reply(subject="Mailbox full", sender="Mail Administrator <admin@klant.nl>",
                     body="Your message to jan@klant.nl could not be delivered: the mailbox is full.\n")
    report = detect_bounce(raw)
    assert report is not None and report.failed_recipients == ["jan@klant.nl"]


@pytest.mark.parametrize("line", [
    "This email has been checked for viruses by Avast antivirus software.",
    "Deze e-mail is gecontroleerd op virussen door AVG.",
    "Ce courriel a été vérifié par le logiciel antivirus.",
])
def test_a_virus_scanners_line_is_not_the_senders_words(line):
    assert strip_reply(f"{NEW}\n\n{line}\nwww.example-antivirus.com") == NEW
