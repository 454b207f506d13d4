"""Shared pieces of the built-in letters' wording: the Letter shape, labels and recurring Jinja phrases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Blocks a letter body may contain besides paragraphs; build_builtin lays each out as a table or group.
INVOICES = "[invoices table]"  # open invoices with the total open
PAID = "[paid invoices table]"  # invoices with their amounts, no "open" column (thank-you)
PROBLEMS = "[problems table]"  # what is wrong with an incoming invoice document
INSTALMENTS = "[instalments table]"  # the payment plan's instalments
HISTORY = "[history table]"  # every contact so far
PAY = "[payment block]"  # payment link and SEPA QR code, each shown only when there is one
BLOCKS = frozenset({INVOICES, PAID, PROBLEMS, INSTALMENTS, HISTORY, PAY})


@dataclass(frozen=True)
class Letter:
    title: str  # the e-mail subject, itself a template
    heading: str  # subject line printed in the letter
    salutation: str
    body: tuple[str, ...]  # paragraphs (Jinja text) and blocks (the constants above)
    addressee: str = "contact"  # "contact", "finance" (general address / accounts payable) or "business"
    regards: str | None = None  # closing line; None: the language's default
    signature: str = "{{ business.name }}"


def letter(title: str, heading: str, salutation: str, *body: str, addressee: str = "contact",
           regards: str | None = None, signature: str = "{{ business.name }}") -> Letter:
    return Letter(title, heading, salutation, tuple(body), addressee, regards, signature)


LABELS: dict[str, dict[str, Any]] = {
    "nl": {
        "date": "Datum", "reference": "Ons kenmerk", "subject": "Betreft", "attention": "t.a.v.",
        "finance": "t.a.v. de financiële administratie",
        "invoice_columns": ("Factuurnummer", "Factuurdatum", "Vervaldatum", "Openstaand"),
        "paid_columns": ("Factuurnummer", "Factuurdatum", "Bedrag"),
        "instalment_columns": ("Termijn", "Uiterlijk betalen op", "Bedrag"),
        "history_columns": ("Datum", "Hoe", "Wat"),
        "total": "Totaal openstaand", "problem_columns": ("Onderdeel", "Wat ontbreekt of niet klopt"),
        "regards": "Met vriendelijke groet,",
        "pay_link": "U kunt ook direct online betalen via {{ payment.link }}.",
        "qr": "Betalen met uw bank-app: scan deze QR-code. Bedrag, rekeningnummer en betalingskenmerk staan er "
              "al in.",
    },
    "en": {
        "date": "Date", "reference": "Our reference", "subject": "Subject", "attention": "Attn.",
        "finance": "Attn. accounts payable",
        "invoice_columns": ("Invoice number", "Invoice date", "Due date", "Amount open"),
        "paid_columns": ("Invoice number", "Invoice date", "Amount"),
        "instalment_columns": ("Instalment", "Pay by", "Amount"),
        "history_columns": ("Date", "How", "What"),
        "total": "Total open", "problem_columns": ("Field", "What is missing or wrong"),
        "regards": "Kind regards,",
        "pay_link": "You can also pay online at {{ payment.link }}.",
        "qr": "Pay with your banking app: scan this QR code. The amount, account and payment reference are "
              "already filled in.",
    },
    "fr": {
        "date": "Date", "reference": "Notre référence", "subject": "Objet", "attention": "À l'attention de",
        "finance": "À l'attention du service comptable",
        "invoice_columns": ("Numéro de facture", "Date de facture", "Échéance", "Solde ouvert"),
        "paid_columns": ("Numéro de facture", "Date de facture", "Montant"),
        "instalment_columns": ("Échéance n°", "À payer au plus tard le", "Montant"),
        "history_columns": ("Date", "Comment", "Quoi"),
        "total": "Total ouvert", "problem_columns": ("Rubrique", "Ce qui manque ou ne va pas"),
        "regards": "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
        "pay_link": "Vous pouvez aussi payer en ligne via {{ payment.link }}.",
        "qr": "Payer avec votre application bancaire : scannez ce code QR. Le montant, le compte et la "
              "communication sont déjà remplis.",
    },
    "de": {
        "date": "Datum", "reference": "Unser Zeichen", "subject": "Betreff", "attention": "z. Hd.",
        "finance": "z. Hd. Buchhaltung",
        "invoice_columns": ("Rechnungsnummer", "Rechnungsdatum", "Fällig am", "Offen"),
        "paid_columns": ("Rechnungsnummer", "Rechnungsdatum", "Betrag"),
        "instalment_columns": ("Rate", "Zahlbar bis", "Betrag"),
        "history_columns": ("Datum", "Wie", "Was"),
        "total": "Offen insgesamt", "problem_columns": ("Angabe", "Was fehlt oder nicht stimmt"),
        "regards": "Mit freundlichen Grüßen",
        "pay_link": "Sie können auch online bezahlen: {{ payment.link }}.",
        "qr": "Mit Ihrer Banking-App bezahlen: Scannen Sie diesen QR-Code. Betrag, Konto und Verwendungszweck sind "
              "bereits ausgefüllt.",
    },
}

ONE_OR_MORE_NL = ("{% if invoices|length == 1 %}factuur {{ invoices[0].number }}"
                  "{% else %}{{ invoices|length }} facturen{% endif %}")
ONE_OR_MORE_EN = ("{% if invoices|length == 1 %}invoice {{ invoices[0].number }}"
                  "{% else %}{{ invoices|length }} invoices{% endif %}")
# Singular or plural, so a letter about one invoice never says "invoices".
FACTUUR = "{% if invoices|length == 1 %}factuur{% else %}facturen{% endif %}"
INVOICE = "{% if invoices|length == 1 %}invoice{% else %}invoices{% endif %}"
IS_ARE = "{% if invoices|length == 1 %}is{% else %}are{% endif %}"
CONTACT = "{{ debtor.contact_name }}"
DEAR_NL = "Geachte {% if debtor.contact_name %}" + CONTACT + "{% else %}heer, mevrouw{% endif %},"
DEAR_EN = "Dear {% if debtor.contact_name %}" + CONTACT + "{% else %}Sir or Madam{% endif %},"
HI_NL = "Beste {% if debtor.contact_name %}" + CONTACT + "{% else %}{{ debtor.name }}{% endif %},"
HI_EN = "Hi {% if debtor.contact_name %}" + CONTACT + "{% else %}there{% endif %},"
PAY_NL = ("Wilt u {kind} {{{{ claim.total|money(currency) }}}} {when} overmaken op rekening "
          "{{{{ payment.iban }}}} ten name van {{{{ business.name }}}}, onder vermelding van "
          "{{{{ payment.reference }}}}?")
PAY_EN = ("Please transfer {kind} {{{{ claim.total|money(currency) }}}} {when} to account {{{{ payment.iban }}}} "
          "in the name of {{{{ business.name }}}}, quoting {{{{ payment.reference }}}}.")
# Informal: "je" in Dutch, first names and contractions in English.
PAY_NL_JE = ("Wil je {kind} {{{{ claim.total|money(currency) }}}} {when} overmaken naar {{{{ payment.iban }}}} "
             "(ten name van {{{{ business.name }}}})? Zet er {{{{ payment.reference }}}} bij, dan weten we "
             "meteen waar het bij hoort.")
PAY_EN_YOU = ("Could you transfer {kind} {{{{ claim.total|money(currency) }}}} {when} to {{{{ payment.iban }}}} "
              "({{{{ business.name }}}})? If you add {{{{ payment.reference }}}}, we'll know right away what it "
              "is for.")
# Plain language (B1): one fact per sentence, the amount and account each on their own line of thought.
PAY_NL_PLAIN = ("U moet nog {{{{ claim.total|money(currency) }}}} betalen. Betaal dit {when}. Maak het geld "
                "over naar rekening {{{{ payment.iban }}}} van {{{{ business.name }}}}. Zet bij uw betaling: "
                "{{{{ payment.reference }}}}.")
PAY_EN_PLAIN = ("You still have to pay {{{{ claim.total|money(currency) }}}}. Please pay {when}. Send the money "
                "to account {{{{ payment.iban }}}} of {{{{ business.name }}}}. Add this to your payment: "
                "{{{{ payment.reference }}}}.")
# A letter to a company's general address has no named reader; every other letter greets the contact.
GREET_NL = "{% if letter.to_general %}Geachte heer, mevrouw,{% else %}" + DEAR_NL + "{% endif %}"
GREET_EN = "{% if letter.to_general %}Dear Sir or Madam,{% else %}" + DEAR_EN + "{% endif %}"
# Said only in a letter to a company's general address (never to a consumer): why it goes there.
GENERAL_NL = ("Wij sturen deze brief naar het algemene adres van {{ debtor.name }}, met "
              "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}onze contactpersoon{% endif %} in "
              "kopie, omdat wij op onze eerdere berichten geen reactie hebben ontvangen. Mogelijk werkt onze "
              "contactpersoon niet meer bij uw organisatie. Wilt u deze brief doorsturen naar degene die bij u over "
              "de betaling van facturen gaat?")
GENERAL_EN = ("We are sending this letter to the general address of {{ debtor.name }}, with "
              "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}our contact person{% endif %} in "
              "copy, because we have received no response to our earlier messages. Our contact person may no "
              "longer work at your organisation. Would you please forward this letter to whoever handles invoice "
              "payments?")


def general(text: str) -> tuple[str, ...]:
    return ("{%p if letter.to_general %}", text, "{%p endif %}")


BY_DEADLINE_NL = "{% if letter.deadline %}uiterlijk {{ letter.deadline|date }}{% else %}binnen zeven dagen{% endif %}"
BY_DEADLINE_EN = "{% if letter.deadline %}by {{ letter.deadline|date }}{% else %}within seven days{% endif %}"
BY_DEADLINE = "uiterlijk {{ letter.deadline|date }}"
BY_DEADLINE_EN_FIXED = "by {{ letter.deadline|date }}"
