"""Wording of the ladder letters in the informal and plain-language tones (keys `NAME.TONE`)."""

from __future__ import annotations

from letter_templates.wording_common import (
    BY_DEADLINE_EN,
    BY_DEADLINE_EN_FIXED,
    BY_DEADLINE_NL,
    FACTUUR,
    HI_EN,
    HI_NL,
    INVOICE,
    INVOICES,
    ONE_OR_MORE_EN,
    ONE_OR_MORE_NL,
    PAY,
    PAY_EN_PLAIN,
    PAY_EN_YOU,
    PAY_NL_JE,
    PAY_NL_PLAIN,
    Letter,
    general,
    letter,
)
from letter_templates.wording_law import announce, claim, received

PLAIN_DEAR_NL = ("{% if debtor.contact_name and not letter.to_general %}Beste {{ debtor.contact_name }}"
                 "{% else %}Geachte heer, mevrouw{% endif %},")
PLAIN_DEAR_EN = ("Dear {% if debtor.contact_name and not letter.to_general %}{{ debtor.contact_name }}"
                 "{% else %}Sir or Madam{% endif %},")
INFORMAL_REGARDS = {"nl": "Groeten,", "en": "Best wishes,"}

INFORMAL: dict[str, dict[str, Letter]] = {
    "courtesy.informal": {
        "nl": letter(
            f"Alles goed ontvangen? Je {ONE_OR_MORE_NL} van {{{{ business.name }}}}",
            f"Je {ONE_OR_MORE_NL}",
            HI_NL,
            f"De betaaltermijn van de {FACTUUR} hieronder loopt bijna af. We checken even of alles goed is "
            "aangekomen en of alles klopt.",
            INVOICES,
            PAY_NL_JE.format(kind="het bedrag van", when="vóór de vervaldatum"),
            "Mis je iets, zoals een inkoopordernummer? Stuur gewoon een reactie op deze mail, dan regelen we "
            "het meteen.",
            PAY,
            regards=INFORMAL_REGARDS["nl"],
        ),
        "en": letter(
            f"All received? Your {ONE_OR_MORE_EN} from {{{{ business.name }}}}",
            f"Your {ONE_OR_MORE_EN}",
            HI_EN,
            f"The payment term of the {INVOICE} below is nearly up, so we're just checking that everything "
            "arrived and looks right.",
            INVOICES,
            PAY_EN_YOU.format(kind="the amount of", when="before the due date"),
            "Missing anything, like a purchase order number? Just reply to this e-mail and we'll sort it.",
            PAY,
            regards=INFORMAL_REGARDS["en"],
        ),
    },
    "reminder.informal": {
        "nl": letter(
            f"Even een herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            HI_NL,
            f"We hebben de betaling van de {FACTUUR} hieronder nog niet binnen. Misschien is het je "
            "ontschoten; dat kan gebeuren.",
            INVOICES,
            PAY_NL_JE.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            "Al betaald? Dan kun je dit bericht vergeten. Klopt er iets niet? Laat het ons weten met een "
            "reactie op deze mail.",
            PAY,
            regards=INFORMAL_REGARDS["nl"],
        ),
        "en": letter(
            f"A quick reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            HI_EN,
            f"We haven't received payment for the {INVOICE} below yet. It may just have slipped through; "
            "it happens.",
            INVOICES,
            PAY_EN_YOU.format(kind="the open amount of", when=BY_DEADLINE_EN),
            "Already paid? Then please ignore this. Something not right? Just reply to this e-mail.",
            PAY,
            regards=INFORMAL_REGARDS["en"],
        ),
    },
    "firm_reminder.informal": {
        "nl": letter(
            f"Tweede herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Tweede herinnering {ONE_OR_MORE_NL}",
            HI_NL,
            f"We hebben je al eerder herinnerd aan de {FACTUUR} hieronder, maar de betaling is nog steeds "
            "niet binnen. De betaaltermijn is voorbij.",
            INVOICES,
            PAY_NL_JE.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            *announce("nl"),
            "Lukt betalen nu niet, of ben je het ergens niet mee eens? Laat het ons weten, dan zoeken we "
            "samen een oplossing.",
            PAY,
            regards=INFORMAL_REGARDS["nl"],
        ),
        "en": letter(
            f"Second reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Second reminder: {ONE_OR_MORE_EN}",
            HI_EN,
            f"We reminded you about the {INVOICE} below before, but we still haven't received payment. "
            "The payment term has passed.",
            INVOICES,
            PAY_EN_YOU.format(kind="the open amount of", when=BY_DEADLINE_EN),
            *announce("en"),
            "Can't pay right now, or don't agree with something? Let us know and we'll work it out together.",
            PAY,
            regards=INFORMAL_REGARDS["en"],
        ),
    },
    "last_reminder.informal": {
        "nl": letter(
            f"Nog steeds open: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            "{% if letter.to_general %}Beste collega's van {{ debtor.name }},{% else %}" + HI_NL + "{% endif %}",
            *general("We sturen dit bericht naar jullie algemene adres, met "
                     "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}onze contactpersoon{% endif %}"
                     " in kopie. Op onze eerdere herinneringen kregen we geen reactie; misschien werkt onze "
                     "contactpersoon niet meer bij jullie. Willen jullie dit doorsturen naar wie de facturen "
                     "betaalt?"),
            "{% if invoices|length == 1 %}Deze factuur staat{% else %}Deze facturen staan{% endif %} nog open:",
            INVOICES,
            *received("nl"),
            *claim("nl"),
            PAY_NL_JE.format(kind="het bedrag van", when="uiterlijk {{ letter.deadline|date }}"),
            "Hebben we op {{ letter.deadline|date }} geen betaling of reactie, dan sturen we nog één laatste "
            "sommatie; daarna geven we de vordering uit handen.",
            PAY,
            regards=INFORMAL_REGARDS["nl"],
        ),
        "en": letter(
            f"Still open: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            "{% if letter.to_general %}Hello team at {{ debtor.name }},{% else %}" + HI_EN + "{% endif %}",
            *general("We're sending this to your general address, with "
                     "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}our contact{% endif %}"
                     " in copy, because we've had no answer to our earlier reminders; our contact may have moved "
                     "on. Could you pass this on to whoever pays invoices?"),
            f"Still open ({INVOICE}):",
            INVOICES,
            *received("en"),
            *claim("en"),
            PAY_EN_YOU.format(kind="the amount of", when=BY_DEADLINE_EN_FIXED),
            "If we've had neither payment nor a reply by {{ letter.deadline|date }}, we'll send one final "
            "notice and then hand the claim over.",
            PAY,
            regards=INFORMAL_REGARDS["en"],
        ),
    },
}

PLAIN: dict[str, dict[str, Letter]] = {
    "courtesy.plain": {
        "nl": letter(
            f"Heeft u onze {ONE_OR_MORE_NL} gekregen? – {{{{ business.name }}}}",
            f"Uw {ONE_OR_MORE_NL}",
            PLAIN_DEAR_NL,
            f"U krijgt deze brief van {{{{ business.name }}}}. Wij stuurden u de {FACTUUR} hieronder. U moet "
            "binnenkort betalen. Wij willen weten of u alles goed heeft gekregen.",
            INVOICES,
            PAY_NL_PLAIN.format(when="vóór de vervaldatum"),
            "Klopt er iets niet? Of heeft u vragen? Stuur dan een antwoord op deze e-mail.",
            PAY,
        ),
        "en": letter(
            f"Did you get our {ONE_OR_MORE_EN}? – {{{{ business.name }}}}",
            f"Your {ONE_OR_MORE_EN}",
            PLAIN_DEAR_EN,
            f"This letter is from {{{{ business.name }}}}. We sent you the {INVOICE} below. You have to pay "
            "soon. We want to know if you got everything.",
            INVOICES,
            PAY_EN_PLAIN.format(when="before the due date"),
            "Is something wrong? Do you have a question? Then reply to this e-mail.",
            PAY,
        ),
    },
    "reminder.plain": {
        "nl": letter(
            f"U heeft nog niet betaald: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            PLAIN_DEAR_NL,
            f"U heeft de {FACTUUR} hieronder nog niet betaald. De datum om te betalen is voorbij. Misschien "
            "bent u het vergeten.",
            INVOICES,
            PAY_NL_PLAIN.format(when=BY_DEADLINE_NL),
            "Heeft u al betaald? Dan hoeft u niets te doen. Klopt er iets niet? Stuur dan een antwoord op "
            "deze e-mail.",
            PAY,
        ),
        "en": letter(
            f"You have not paid yet: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            PLAIN_DEAR_EN,
            f"You have not paid the {INVOICE} below yet. The date to pay has passed. Maybe you forgot.",
            INVOICES,
            PAY_EN_PLAIN.format(when=BY_DEADLINE_EN),
            "Have you paid already? Then you do not have to do anything. Is something wrong? Then reply "
            "to this e-mail.",
            PAY,
        ),
    },
    "firm_reminder.plain": {
        "nl": letter(
            f"Tweede brief: betaal {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Aanmaning {ONE_OR_MORE_NL}",
            PLAIN_DEAR_NL,
            f"Wij stuurden u al een herinnering. U heeft de {FACTUUR} hieronder nog steeds niet betaald.",
            INVOICES,
            PAY_NL_PLAIN.format(when=BY_DEADLINE_NL),
            "{%p if claim.charges and not claim.consumer %}",
            "Betaalt u niet op tijd? Dan moet u meer betalen: rente en een vaste vergoeding van "
            "{{ claim.costs|money(currency) }}.",
            "{%p endif %}",
            "Kunt u niet betalen? Of bent u het niet eens met de factuur? Stuur dan een antwoord op deze "
            "e-mail. Dan zoeken wij samen een oplossing.",
            PAY,
        ),
        "en": letter(
            f"Second letter: please pay {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Formal notice: {ONE_OR_MORE_EN}",
            PLAIN_DEAR_EN,
            f"We already sent you a reminder. You have still not paid the {INVOICE} below.",
            INVOICES,
            PAY_EN_PLAIN.format(when=BY_DEADLINE_EN),
            "{%p if claim.charges and not claim.consumer %}",
            "If you do not pay in time, you will have to pay more: interest and a fixed compensation of "
            "{{ claim.costs|money(currency) }}.",
            "{%p endif %}",
            "Are you unable to pay? Or do you disagree with the invoice? Then reply to this e-mail. We will "
            "look for a solution together.",
            PAY,
        ),
    },
    "last_reminder.plain": {
        "nl": letter(
            f"Nog niet betaald: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            PLAIN_DEAR_NL,
            *general("Wij sturen deze brief naar het algemene adres van {{ debtor.name }}. "
                     "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}Onze contactpersoon{% endif %}"
                     " krijgt een kopie. Wij kregen geen antwoord op onze eerdere brieven. Wilt u deze brief geven "
                     "aan de persoon die de facturen betaalt?"),
            "{% if invoices|length == 1 %}Deze factuur is{% else %}Deze facturen zijn{% endif %} nog niet betaald:",
            INVOICES,
            *received("nl"),
            *claim("nl"),
            PAY_NL_PLAIN.format(when="uiterlijk {{ letter.deadline|date }}"),
            "Heeft u op {{ letter.deadline|date }} niet betaald en niet gereageerd? Dan krijgt u nog één "
            "laatste brief. Daarna geven wij de zaak uit handen.",
            PAY,
        ),
        "en": letter(
            f"Not paid yet: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            PLAIN_DEAR_EN,
            *general("We send this letter to the general address of {{ debtor.name }}. "
                     "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}Our contact person{% endif %}"
                     " gets a copy. We had no answer to our earlier letters. Please give this letter to the person "
                     "who pays the invoices."),
            f"Not paid yet ({INVOICE}):",
            INVOICES,
            *received("en"),
            *claim("en"),
            PAY_EN_PLAIN.format(when=BY_DEADLINE_EN_FIXED),
            "If you have not paid or answered by {{ letter.deadline|date }}, you will get one last letter. "
            "After that we will hand the claim over.",
            PAY,
        ),
    },
}
