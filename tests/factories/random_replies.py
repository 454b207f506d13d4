"""Random debtor replies (.eml bytes) per language: greeting, intent, sign-off, footer, quoted history, truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from babel.dates import format_date as babel_date

LANGUAGES = ("nl", "en", "de", "fr")
INTENTS = ("promise_to_pay", "paid", "dispute", "copy_request", "payment_plan_request", "wrong_contact", "other")
TODAY = date(2026, 11, 24)  # a Tuesday; relative promises ("friday", "tomorrow") resolve against it

_GREETINGS = {
    "nl": ["Beste Anna,", "Hallo Anna,", "Goedemiddag,", "Geachte mevrouw De Vries,", "Hoi Anna,", ""],
    "en": ["Dear Anna,", "Hi Anna,", "Hello,", "Good afternoon,", "Hi,", ""],
    "de": ["Sehr geehrte Frau de Vries,", "Hallo Frau de Vries,", "Guten Tag,", "Liebe Anna,", ""],
    "fr": ["Bonjour Madame,", "Bonjour Anna,", "Madame,", "Bonjour,", ""],
}
_SIGN_OFFS = {
    "nl": ["Met vriendelijke groet,", "Groet,", "Vriendelijke groeten,", "Mvg,"],
    "en": ["Kind regards,", "Best regards,", "Thanks,", "Regards,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "MfG"],
    "fr": ["Cordialement,", "Bien cordialement,", "Bonne journée,", "Salutations distinguées,"],
}
_NAMES = ["Jan Jansen", "Peter Smith", "Klaus Müller", "Marie Dubois", "Sanne Bakker", "Tom Evans"]
# The phrasings a debtor writes per intent; {n} is the invoice number, {d} a promised date in one of its forms.
_SENTENCES: dict[str, dict[str, list[str]]] = {
    "nl": {
        "promise_to_pay": ["Wij betalen factuur {n} op {d}.", "De betaling van {n} staat gepland voor {d}.",
                           "We maken het bedrag uiterlijk {d} over.", "Factuur {n} wordt {d} voldaan."],
        "paid": ["Factuur {n} is gisteren betaald.", "Wij hebben het bedrag vorige week al overgemaakt.",
                 "Deze factuur is reeds voldaan, zie bijgaand betaalbewijs.", "Is al betaald hoor."],
        "dispute": ["Wij zijn het niet eens met factuur {n}: de werkzaamheden zijn niet uitgevoerd.",
                    "Het bedrag op factuur {n} klopt niet, wij betwisten deze factuur.",
                    "De geleverde goederen waren beschadigd, daarom betalen wij deze factuur niet."],
        "copy_request": ["Kunt u mij een kopie van factuur {n} sturen?", "Wij hebben factuur {n} nooit ontvangen, "
                         "kunt u hem opnieuw sturen?", "Graag een duplicaat van de factuur."],
        "payment_plan_request": ["Is het mogelijk om factuur {n} in termijnen te betalen?",
                                 "Kunnen we een betalingsregeling treffen voor dit bedrag?",
                                 "Wij willen graag in drie termijnen betalen."],
        "wrong_contact": ["Ik ben niet de juiste persoon hiervoor, mail svp naar crediteuren@klant.nl.",
                          "U heeft het verkeerde adres, ik werk hier niet meer.",
                          "Dit moet naar onze financiële afdeling, niet naar mij."],
        "other": ["Bedankt voor uw bericht, ik kom er later op terug.", "Wat is uw nieuwe adres?",
                  "Kunt u mij even bellen over het project?"],
    },
    "en": {
        "promise_to_pay": ["We will pay invoice {n} on {d}.", "Payment of {n} is scheduled for {d}.",
                           "This is scheduled in our next payment run on {d}.", "You will have the money by {d}."],
        "paid": ["Invoice {n} was paid yesterday.", "We already paid this last week.",
                 "This invoice has been settled, the money left our account on Monday.", "Already paid!"],
        "dispute": ["We dispute invoice {n}: the work was never delivered.",
                    "The amount on invoice {n} is wrong, we do not agree with this charge.",
                    "The goods arrived damaged so we will not pay this invoice."],
        "copy_request": ["Could you send me a copy of invoice {n}?", "We never received invoice {n}, please resend it.",
                         "Please send the invoice again, I cannot find it."],
        "payment_plan_request": ["Would it be possible to pay invoice {n} in instalments?",
                                 "Can we agree a payment plan for this amount?",
                                 "We would like to spread the payment over three months."],
        "wrong_contact": ["I am not the right person for this, please contact accounts@client.co.uk.",
                          "You have the wrong address, I no longer work here.",
                          "Please send this to our finance department instead of me."],
        "other": ["Thanks for your message, I will get back to you.", "What is your new postal address?",
                  "Could you call me about the project?"],
    },
    "de": {
        "promise_to_pay": ["Wir bezahlen die Rechnung {n} am {d}.", "Die Zahlung für {n} ist für den {d} geplant.",
                           "Wir überweisen den Betrag spätestens am {d}.", "Sie erhalten das Geld bis zum {d}."],
        "paid": ["Die Rechnung {n} wurde gestern bezahlt.", "Wir haben den Betrag letzte Woche bereits überwiesen.",
                 "Diese Rechnung ist bereits beglichen.", "Schon bezahlt."],
        "dispute": ["Wir widersprechen der Rechnung {n}, die Leistung wurde nicht erbracht.",
                    "Der Betrag auf Rechnung {n} ist falsch, wir erkennen die Rechnung nicht an.",
                    "Die Ware kam beschädigt an, deshalb zahlen wir diese Rechnung nicht."],
        "copy_request": ["Könnten Sie mir bitte eine Kopie der Rechnung {n} schicken?",
                         "Wir haben die Rechnung {n} nie erhalten, bitte senden Sie sie erneut.",
                         "Bitte schicken Sie uns die Rechnung noch einmal zu."],
        "payment_plan_request": ["Ist eine Ratenzahlung für die Rechnung {n} möglich?",
                                 "Können wir eine Ratenzahlung vereinbaren?",
                                 "Wir möchten den Betrag gerne in drei Raten zahlen."],
        "wrong_contact": ["Ich bin dafür nicht zuständig, bitte wenden Sie sich an buchhaltung@kunde.de.",
                          "Sie haben die falsche Adresse, ich arbeite hier nicht mehr.",
                          "Bitte senden Sie das an unsere Buchhaltung, nicht an mich."],
        "other": ["Danke für Ihre Nachricht, ich melde mich später.", "Wie lautet Ihre neue Adresse?",
                  "Können Sie mich wegen des Projekts anrufen?"],
    },
    "fr": {
        "promise_to_pay": ["Nous réglerons la facture {n} le {d}.", "Le paiement de {n} est prévu pour le {d}.",
                           "Nous effectuerons le virement au plus tard le {d}.", "Vous recevrez le paiement le {d}."],
        "paid": ["La facture {n} a été payée hier.", "Nous avons déjà effectué le virement la semaine dernière.",
                 "Cette facture est déjà réglée.", "Déjà payé."],
        "dispute": ["Nous contestons la facture {n} : la prestation n'a pas été réalisée.",
                    "Le montant de la facture {n} est erroné, nous ne sommes pas d'accord.",
                    "La marchandise est arrivée endommagée, nous ne paierons pas cette facture."],
        "copy_request": ["Pourriez-vous m'envoyer une copie de la facture {n} ?",
                         "Nous n'avons jamais reçu la facture {n}, merci de la renvoyer.",
                         "Merci de nous renvoyer la facture, je ne la trouve pas."],
        "payment_plan_request": ["Est-il possible de payer la facture {n} en plusieurs fois ?",
                                 "Pouvons-nous convenir d'un échéancier de paiement ?",
                                 "Nous souhaiterions payer en trois mensualités."],
        "wrong_contact": ["Je ne suis pas la bonne personne, merci d'écrire à compta@client.fr.",
                          "Vous avez la mauvaise adresse, je ne travaille plus ici.",
                          "Merci d'envoyer ceci à notre service comptable et non à moi."],
        "other": ["Merci pour votre message, je reviens vers vous.", "Quelle est votre nouvelle adresse ?",
                  "Pouvez-vous m'appeler au sujet du projet ?"],
    },
}
_WEEKDAYS = {"nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"],
             "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
             "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"],
             "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]}
_TOMORROW = {"nl": "morgen", "en": "tomorrow", "de": "morgen", "fr": "demain"}
_FOOTERS = {
    "nl": ["Verzonden vanaf mijn iPhone", "Verstuurd vanaf mijn iPad", "Outlook voor iOS downloaden",
           "Verzonden vanuit Outlook voor iOS"],
    "en": ["Sent from my iPhone", "Get Outlook for iOS", "Sent from my Galaxy"],
    "de": ["Von meinem iPhone gesendet", "Gesendet von Outlook für Android", "Gesendet mit der mobilen Mail App"],
    "fr": ["Envoyé de mon iPhone", "Télécharger Outlook pour Android", "Envoyé depuis mon appareil mobile"],
}
_GATEWAY_FOOTERS = {  # what a virus scanner or mail gateway appends below the person's text
    "nl": ["Deze e-mail is gecontroleerd op virussen door Avast antivirussoftware."],
    "en": ["This email has been checked for viruses by Avast antivirus software."],
    "de": ["Diese E-Mail wurde von Avast Antivirus-Software auf Viren geprüft."],
    "fr": ["Ce courriel a été vérifié par le logiciel antivirus Avast."],
}
_ATTRIBUTIONS = {  # the line a mail client writes above the quoted reminder, per language
    "nl": ["Op {date} schreef {name} <{email}>:", "Op {date} heeft {name} <{email}> het volgende geschreven:",
           "{name} <{email}> schreef op {date}:"],
    "en": ["On {date}, {name} <{email}> wrote:", "On {date} {name} <{email}> wrote:"],
    "de": ["Am {date} schrieb {name} <{email}>:", "{name} <{email}> schrieb am {date}:",
           "Am {date} schrieb {name} <{email}>"],
    "fr": ["Le {date}, {name} <{email}> a écrit :", "Le {date} à 10:12, {name} <{email}> a écrit :"],
}
_HEADER_BLOCKS = {  # Outlook's header block, per language
    "nl": "Van: {name} <{email}>\nVerzonden: {date}\nAan: {to}\nOnderwerp: {subject}",
    "en": "From: {name} <{email}>\nSent: {date}\nTo: {to}\nSubject: {subject}",
    "de": "Von: {name} <{email}>\nGesendet: {date}\nAn: {to}\nBetreff: {subject}",
    "fr": "De : {name} <{email}>\nEnvoyé : {date}\nÀ : {to}\nObjet : {subject}",
}
_SEPARATORS = {  # the line some clients put above the header block
    "nl": ["-----Oorspronkelijk bericht-----", "_" * 32, ""],
    "en": ["-----Original Message-----", "_" * 32, ""],
    "de": ["-----Ursprüngliche Nachricht-----", "-----Original-Nachricht-----", ""],
    "fr": ["-------- Message d'origine --------", "-----Message d'origine-----", ""],
}
_REMINDERS = {
    "nl": ("Herinnering factuur {n}",
           "Beste klant,\n\nFactuur {n} staat nog open. Wilt u deze betalen?\n\nGroet,\nAnna"),
    "en": ("Reminder invoice {n}", "Dear customer,\n\nInvoice {n} is still open. Please pay it.\n\nRegards,\nAnna"),
    "de": ("Zahlungserinnerung Rechnung {n}", "Guten Tag,\n\ndie Rechnung {n} ist noch offen.\n\nGrüße\nAnna"),
    "fr": ("Relance facture {n}", "Bonjour,\n\nLa facture {n} reste impayée.\n\nCordialement,\nAnna"),
}
_RE = {"nl": ["Re:", "RE:", "Antw:"], "en": ["Re:", "RE:"], "de": ["AW:", "Re:"], "fr": ["RE :", "Re:"]}


@dataclass(frozen=True)
class GeneratedReply:
    """One generated reply: the raw message, the truth labels and the drawn traits."""

    raw: bytes
    truth: dict[str, str | None]
    traits: dict[str, object] = field(default_factory=dict)


def promised(rng: random.Random, language: str, today: date = TODAY) -> tuple[str, date, str]:
    """A promised date written one way or another, the day it means, and the form drawn."""
    form = rng.choice(["words", "numeric", "short_numeric", "weekday", "tomorrow"])
    if form == "tomorrow":
        return _TOMORROW[language], today + timedelta(days=1), form
    if form == "weekday":
        index = rng.randrange(5)
        ahead = (index - today.weekday()) % 7 or 7
        return _WEEKDAYS[language][index], today + timedelta(days=ahead), form
    day = today + timedelta(days=rng.randint(2, 40))
    if form == "numeric":
        return f"{day.day:02d}-{day.month:02d}-{day.year}", day, form
    if form == "short_numeric":
        return f"{day.day}/{day.month}", day, form  # day first, as in Europe and the UK; "12/11" is 12 November
    words = babel_date(day, format="d MMMM", locale=language)
    return (words.replace(" ", ". ", 1) if language == "de" else words), day, form


def random_reply(rng: random.Random, language: str | None = None, intent: str | None = None,
                 today: date = TODAY) -> GeneratedReply:
    """Draw one reply from the tables; its truth is the reply text a reader should keep and its intent."""
    language = language or rng.choice(LANGUAGES)
    intent = intent or rng.choice(INTENTS)
    number = f"F{today.year}-{rng.randint(1, 999):03d}"
    sentence = phrase = rng.choice(_SENTENCES[language][intent])
    promised_date, date_form = None, None
    if intent == "promise_to_pay":
        written, promised_date, date_form = promised(rng, language, today)
        sentence = sentence.replace("{d}", written)
    sentence = sentence.format(n=number)
    greeting = rng.choice(_GREETINGS[language])
    name = rng.choice(_NAMES)
    kept = [part for part in (greeting, sentence, f"{rng.choice(_SIGN_OFFS[language])}\n{name}") if part]
    reply_text = "\n\n".join(kept)
    traits = {"language": language, "intent": intent, "footer": rng.choice(["none", "mobile", "gateway", "signature"]),
              "quote": rng.choice(["attribution", "header_block", "none"]), "html_only": rng.random() < 0.2,
              "phrase": phrase, "date_form": date_form}
    footer = ""
    if traits["footer"] == "mobile":
        footer = rng.choice(_FOOTERS[language])
    elif traits["footer"] == "gateway":
        footer = rng.choice(_GATEWAY_FOOTERS[language])
    elif traits["footer"] == "signature":
        footer = f"-- \n{name}\nKlant BV | +31 20 123 4567"
    subject, reminder = (part.format(n=number) for part in _REMINDERS[language])
    sent = datetime(today.year, today.month, today.day, 10, 12, tzinfo=UTC) - timedelta(days=rng.randint(1, 9))
    sent_words = babel_date(sent.date(), format="full", locale=language) + " 10:12"
    header, quoted = "", ""
    if traits["quote"] == "attribution":
        header = rng.choice(_ATTRIBUTIONS[language]).format(date=sent_words, name="Anna de Vries",
                                                           email="anna@leverancier.nl")
        quoted = "\n".join("> " + row if row else ">" for row in reminder.splitlines())
    elif traits["quote"] == "header_block":
        separator = rng.choice(_SEPARATORS[language])
        header = (separator + "\n" if separator else "") + _HEADER_BLOCKS[language].format(
            name="Anna de Vries", email="anna@leverancier.nl", date=sent_words, to=name, subject=subject)
        quoted = reminder
    body = "\n\n".join(part for part in (reply_text, footer, f"{header}\n{quoted}" if header else "") if part)
    msg = EmailMessage()
    msg["From"] = f"{name} <{name.split()[0].lower()}@klant.example>"
    msg["To"] = "Anna de Vries <anna@leverancier.nl>"
    msg["Subject"] = f"{rng.choice(_RE[language])} {subject}"
    msg["Date"] = format_datetime(datetime(today.year, today.month, today.day, 11, tzinfo=UTC))
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@klant.example>"
    msg["In-Reply-To"] = "<reminder-1@leverancier.nl>"
    if traits["html_only"]:
        msg.set_content(_html(reply_text, footer, header, reminder), subtype="html")
    else:
        msg.set_content(body)
    truth = {"kind": "reply", "intent": intent, "reply_text": reply_text,
             "promised_date": promised_date.isoformat() if promised_date else None}
    return GeneratedReply(raw=msg.as_bytes(), truth=truth, traits=traits)


def _html(reply_text: str, footer: str, header: str, reminder: str) -> str:
    """An HTML-only rendering: the new text and footer in divs, the history in Gmail's quote container."""
    def paragraphs(text: str) -> str:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return "".join(f"<div>{p.replace(chr(10), '<br>')}</div><br>" for p in escaped.split("\n\n"))
    quote = ""
    if header:
        quote = (f'<div class="gmail_quote"><div class="gmail_attr">{paragraphs(header)}</div>'
                 f"<blockquote>{paragraphs(reminder)}</blockquote></div>")
    new = paragraphs(reply_text) + (paragraphs(footer) if footer else "")
    return f'<html><body><div dir="ltr">{new}</div>{quote}</body></html>'
