"""strip_reply: labelled replies written for this suite, one per quote style and language."""

from __future__ import annotations

import pytest

from parsers.reply import strip_reply

NEW = "Beste Anna,\n\nWe betalen de factuur vrijdag.\n\nMet vriendelijke groet,\nJan"
CASES = {
    "gmail_en": "On Mon, 3 Feb 2025 at 10:12, Anna de Vries <anna@leverancier.nl> wrote:\n> Herinnering factuur",
    "gmail_nl": "Op ma 3 feb. 2025 om 10:12 schreef Anna de Vries <anna@leverancier.nl>:\n\n> Herinnering",
    "gmail_nl_wrapped": "Op ma 3 feb. 2025 om 10:12 schreef Anna de Vries <\nanna@leverancier.nl>:\n\n> Herinnering",
    "apple_nl": "> Op 3 feb. 2025 om 10:12 heeft Anna de Vries <anna@leverancier.nl> het volgende geschreven:"
                "\n>\n> Hoi",
    "de": "Am 03.02.2025 um 10:12 schrieb Anna de Vries <anna@leverancier.nl>:\n> Erinnerung",
    "fr": "Le lun. 3 févr. 2025 à 10:12, Anna de Vries <anna@leverancier.nl> a écrit :\n> Rappel",
    "es": "El lun, 3 feb 2025 a las 10:12, Anna de Vries (<anna@leverancier.nl>) escribió:\n> Recordatorio",
    "pt": "Em seg., 3 de fev. de 2025 às 10:12, Anna de Vries <anna@leverancier.nl> escreveu:\n> Lembrete",
    "pl": "W dniu 3.02.2025 o 10:12, Anna de Vries <anna@leverancier.nl> pisze:\n> Przypomnienie\n"
          "pon., 3 lut 2025 o 10:12 Anna de Vries <anna@leverancier.nl> napisał(a):\n> x",
    "sv": "Den mån 3 feb. 2025 kl 10:12 skrev Anna de Vries <anna@leverancier.nl>:\n> Påminnelse",
    "outlook_nl": "Van: Anna de Vries <anna@leverancier.nl>\nVerzonden: maandag 3 februari 2025 10:12\n"
                  "Aan: Jan <jan@klant.nl>\nOnderwerp: Herinnering factuur F2025-17\n\nBeste Jan,",
    "outlook_en_rule": "________________________________\nFrom: Anna de Vries <anna@leverancier.nl>\n"
                       "Sent: Monday, February 3, 2025 10:12 AM\nTo: Jan\nSubject: Reminder\n\nDear Jan,",
    "outlook_de": "-----Ursprüngliche Nachricht-----\nVon: Anna <anna@leverancier.nl>\nGesendet: Montag, 3. Februar"
                  " 2025 10:12\nAn: Jan\nBetreff: Zahlungserinnerung\n\nHallo",
    "outlook_fr": "De : Anna <anna@leverancier.nl>\nEnvoyé : lundi 3 février 2025 10:12\nÀ : Jan\nObjet : Relance",
    "original_message": "-----Original Message-----\nFrom: Anna\nSent: Monday\nTo: Jan\nSubject: Reminder\n\nHi",
    "forwarded": "---------- Forwarded message ---------\nFrom: Anna <anna@leverancier.nl>\nDate: Mon, 3 Feb 2025\n",
    "doorgestuurd": "---------- Doorgestuurd bericht ----------\nVan: Anna <anna@leverancier.nl>\nDatum: 3 feb\n",
    "quoted_only": "> Beste Jan,\n> Uw factuur staat open.",
    "wrapped_no_opening_word": "ma 3 feb. 2025 klo 10.12 Anna de Vries\n<anna@leverancier.nl> kirjoitti:\n\nHoi",
    "bare_date_and_address": "2025/2/3 Anna via Leverancier <anna@leverancier.nl>\n\n> Herinnering",
}
FOOTERS = {
    "signature": "-- \nJan Jansen\nInkoop | Klant BV\n+31 20 123 4567",
    "iphone": "Sent from my iPhone",
    "iphone_nl": "Verzonden vanaf mijn iPhone",
    "verstuurd_nl": "Verstuurd vanaf mijn iPad",
    "outlook_ios": "Get Outlook for iOS<https://aka.ms/o0ukef>",
    "outlook_android_de": "Gesendet von Outlook für Android",
    "iphone_de": "Von meinem iPhone gesendet",
    "iphone_fr": "Envoyé de mon iPhone",
    "outlook_android_fr": "Télécharger Outlook pour Android<https://aka.ms/ghei36>",
    "outlook_ios_nl": "Outlook voor iOS downloaden",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_quoted_history_is_removed(name):
    assert strip_reply(f"{NEW}\n\n{CASES[name]}\n\nOude tekst die weg moet.") == NEW


@pytest.mark.parametrize("name", sorted(FOOTERS))
def test_signatures_and_client_footers_are_removed(name):
    text = f"{NEW}\n\n{FOOTERS[name]}\n\nOp 3 feb. 2025 schreef Anna <anna@leverancier.nl>:\n> Herinnering"
    assert strip_reply(text) == NEW


def test_greeting_and_sign_off_are_kept():
    assert strip_reply("Hallo,\n\nIs betaald.\n\nGroet,\nPiet").splitlines() == [
        "Hallo,", "", "Is betaald.", "", "Groet,", "Piet"]


def test_bottom_posted_reply_keeps_the_text_below_the_quote():
    text = ("On Mon, 3 Feb 2025 at 10:12, Anna <anna@leverancier.nl> wrote:\n> Your invoice is overdue.\n>\n\n"
            "We paid it yesterday.")
    assert strip_reply(text) == "We paid it yesterday."


def test_a_sentence_above_a_wrapped_attribution_is_kept():
    text = "We betalen in week 12.\nOp 3 feb. 2025 10:12 schreef \"Anna\" <anna@leverancier.nl> het\nvolgende:\n> x"
    assert strip_reply(text) == "We betalen in week 12."


def test_a_person_mentioning_a_date_and_a_colon_is_not_a_quote():
    text = "Betaald op 3 februari via:\nING, rekening NL91ABNA0417164300\nGroet"
    assert strip_reply(text) == text


def test_html_only_reply_drops_the_gmail_quote_container():
    html = ('<div dir="ltr">Wij betalen <b>morgen</b>.<br>Groet, Jan</div><div class="gmail_quote">'
            '<div class="gmail_attr">Op ma 3 feb. 2025 schreef Anna:</div><blockquote>Herinnering</blockquote></div>')
    assert strip_reply("", html) == "Wij betalen morgen.\nGroet, Jan"


def test_empty_input_gives_empty_text():
    assert strip_reply("") == "" and strip_reply("", None) == ""


@pytest.mark.parametrize("text", [
    "On the whole we agree.\n\nOn Friday we pay.",
    "Mail it to: boekhouding@klant.nl\nFrom: the 3rd we have a new address.",
    "Bedragen:\n2025-01-15 14:30 betaald\n15.01.2025 ontvangen",
    "The notice was sent from my iPhone app to all customers.",
])
def test_ordinary_sentences_that_resemble_markers_are_kept(text):
    assert strip_reply(text) == text
