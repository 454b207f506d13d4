"""Wording of the written confirmation of an agreement made by phone or otherwise, in nl, en, de and fr."""

from __future__ import annotations

from letter_templates.wording_common import (
             DEAR_EN,
             DEAR_NL,
             FACTUUR,
             INVOICES,
             ONE_OR_MORE_EN,
             ONE_OR_MORE_NL,
             PAY,
             letter,
)

# The seeds' advice: confirm in writing what was agreed by phone, so a later dispute has the agreement on paper.
_SPOKE_NL = ("{% if agreement.phone %}Op {{ agreement.on|date }} hebben wij telefonisch gesproken"
             "{% if agreement.contact %} met {{ agreement.contact }}{% endif %}{% else %}Op {{ agreement.on|date }} "
             "hebben wij contact met u gehad{% endif %}")
_SPOKE_EN = ("{% if agreement.phone %}On {{ agreement.on|date }} we spoke by phone"
             "{% if agreement.contact %} with {{ agreement.contact }}{% endif %}{% else %}On {{ agreement.on|date }} "
             "we were in touch with you{% endif %}")
_SPOKE_DE = ("{% if agreement.phone %}Am {{ agreement.on|date }} haben wir telefonisch gesprochen"
             "{% if agreement.contact %} mit {{ agreement.contact }}{% endif %}{% else %}Am {{ agreement.on|date }} "
             "hatten wir Kontakt mit Ihnen{% endif %}")
_SPOKE_FR = ("{% if agreement.phone %}Le {{ agreement.on|date }}, nous avons eu un entretien téléphonique"
             "{% if agreement.contact %} avec {{ agreement.contact }}{% endif %}{% else %}Le {{ agreement.on|date }}, "
             "nous avons été en contact avec vous{% endif %}")
_ONE_DE = ("{% if invoices|length == 1 %}Rechnung {{ invoices[0].number }}{% else %}{{ invoices|length }} Rechnungen"
           "{% endif %}")
_ONE_FR = ("{% if invoices|length == 1 %}facture {{ invoices[0].number }}{% else %}{{ invoices|length }} factures"
           "{% endif %}")

AGREEMENT = {
    "agreement_confirmation": {
        "nl": letter(
            "Bevestiging van onze afspraak – {{ business.name }}",
            f"Afspraak over {ONE_OR_MORE_NL}",
            DEAR_NL,
            _SPOKE_NL + " over onderstaande " + FACTUUR + ". Hierbij bevestigen wij wat wij hebben afgesproken:",
            "{{ agreement.summary }}",
            "{%p if agreement.promised_date %}",
            "U betaalt het openstaande bedrag van {{ total_open|money(currency) }} uiterlijk "
            "{{ agreement.promised_date|date }}. Tot die datum sturen wij u geen herinneringen.",
            "{%p endif %}",
            INVOICES,
            "Betalen kan op rekening {{ payment.iban }} ten name van {{ business.name }}, onder vermelding van "
            "{{ payment.reference }}.",
            "Klopt deze samenvatting niet? Antwoord dan op dit bericht, dan passen wij de afspraak aan.",
            PAY,
        ),
        "en": letter(
            "Confirmation of our agreement – {{ business.name }}",
            f"Agreement about {ONE_OR_MORE_EN}",
            DEAR_EN,
            _SPOKE_EN + " about the invoice(s) below. We hereby confirm what we agreed:",
            "{{ agreement.summary }}",
            "{%p if agreement.promised_date %}",
            "You will pay the open amount of {{ total_open|money(currency) }} by "
            "{{ agreement.promised_date|date }}. Until that date we will not send you reminders.",
            "{%p endif %}",
            INVOICES,
            "Please transfer the amount to account {{ payment.iban }} in the name of {{ business.name }}, quoting "
            "{{ payment.reference }}.",
            "Does this summary not match what we agreed? Please reply to this message and we will correct it.",
            PAY,
        ),
        "de": letter(
            "Bestätigung unserer Vereinbarung – {{ business.name }}",
            f"Vereinbarung zu {_ONE_DE}",
            "{% if debtor.contact_name %}Guten Tag {{ debtor.contact_name }},{% else %}Sehr geehrte Damen und "
            "Herren,{% endif %}",
            _SPOKE_DE + " über die unten stehende Rechnung. Hiermit bestätigen wir, was wir vereinbart haben:",
            "{{ agreement.summary }}",
            "{%p if agreement.promised_date %}",
            "Sie zahlen den offenen Betrag von {{ total_open|money(currency) }} bis spätestens "
            "{{ agreement.promised_date|date }}. Bis dahin erhalten Sie von uns keine Mahnungen.",
            "{%p endif %}",
            INVOICES,
            "Bitte überweisen Sie auf das Konto {{ payment.iban }} von {{ business.name }}, Verwendungszweck "
            "{{ payment.reference }}.",
            "Stimmt diese Zusammenfassung nicht? Antworten Sie auf diese Nachricht; wir korrigieren sie.",
            PAY,
        ),
        "fr": letter(
            "Confirmation de notre accord – {{ business.name }}",
            f"Accord concernant la {_ONE_FR}",
            "Madame, Monsieur,",
            _SPOKE_FR + " au sujet de la facture ci-dessous. Nous vous confirmons ce qui a été convenu :",
            "{{ agreement.summary }}",
            "{%p if agreement.promised_date %}",
            "Vous payez le montant ouvert de {{ total_open|money(currency) }} au plus tard le "
            "{{ agreement.promised_date|date }}. Jusqu'à cette date, nous ne vous enverrons pas de rappel.",
            "{%p endif %}",
            INVOICES,
            "Veuillez virer le montant sur le compte {{ payment.iban }} au nom de {{ business.name }}, avec la "
            "communication {{ payment.reference }}.",
            "Ce résumé ne correspond pas à notre accord ? Répondez à ce message et nous le corrigerons.",
            PAY,
        ),
    },
}
