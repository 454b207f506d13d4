"""Wording of the ladder letters in the default (formal) tone: arrival check, courtesy, reminder, firm, last."""

from __future__ import annotations

from letter_templates.wording_common import (
    BY_DEADLINE,
    BY_DEADLINE_EN,
    BY_DEADLINE_EN_FIXED,
    BY_DEADLINE_NL,
    DEAR_EN,
    DEAR_NL,
    FACTUUR,
    GENERAL_EN,
    GENERAL_NL,
    GREET_EN,
    GREET_NL,
    INVOICE,
    INVOICES,
    ONE_OR_MORE_EN,
    ONE_OR_MORE_NL,
    PAY,
    PAY_EN,
    PAY_NL,
    Letter,
    general,
    letter,
)
from letter_templates.wording_law import announce, claim, received

LADDER: dict[str, dict[str, Letter]] = {
    "arrival_check": {
        "nl": letter(
            "{% if invoices|length == 1 %}Is{% else %}Zijn{% endif %} onze " + ONE_OR_MORE_NL
            + " goed aangekomen? – {{ business.name }}",
            f"Uw {ONE_OR_MORE_NL}",
            DEAR_NL,
            f"Enkele dagen geleden stuurden wij u onderstaande {FACTUUR}. Wij willen graag weten of deze goed "
            "bij de juiste persoon is aangekomen.",
            INVOICES,
            "Heeft u een inkoopordernummer, een ander factuuradres of een andere contactpersoon voor "
            "facturen? Reageer dan op dit bericht; wij passen het direct aan.",
            PAY_NL.format(kind="het bedrag van", when="vóór de vervaldatum"),
            PAY,
        ),
        "en": letter(
            f"Did our {ONE_OR_MORE_EN} arrive safely? – {{{{ business.name }}}}",
            f"Your {ONE_OR_MORE_EN}",
            DEAR_EN,
            f"A few days ago we sent you the {INVOICE} below. We would like to make sure it reached the right "
            "person.",
            INVOICES,
            "Do you need a purchase order number, a different billing address or another contact for "
            "invoices? Just reply to this message and we will change it straight away.",
            PAY_EN.format(kind="the amount of", when="before the due date"),
            PAY,
        ),
    },
    "courtesy": {
        "nl": letter(
            f"Goed ontvangen? Uw {ONE_OR_MORE_NL} van {{{{ business.name }}}}",
            f"Uw {ONE_OR_MORE_NL}",
            DEAR_NL,
            f"Binnenkort vervalt de betaaltermijn van onderstaande {FACTUUR}. Wij willen graag even nagaan of "
            "alles goed bij u is aangekomen en naar wens is.",
            INVOICES,
            PAY_NL.format(kind="het bedrag van", when="vóór de vervaldatum"),
            "Klopt er iets niet, of ontbreekt er een gegeven dat u nodig heeft (bijvoorbeeld een "
            "inkoopordernummer)? Laat het ons dan gerust weten door op dit bericht te reageren; dan lossen "
            "wij het direct op.",
            PAY,
        ),
        "en": letter(
            f"Did you receive our {ONE_OR_MORE_EN}? – {{{{ business.name }}}}",
            f"Your {ONE_OR_MORE_EN}",
            DEAR_EN,
            f"The payment term of the {INVOICE} below ends soon. We would like to check that everything "
            "reached you and is in order.",
            INVOICES,
            PAY_EN.format(kind="the amount of", when="before the due date"),
            "Is anything wrong, or do you need more information (a purchase order number, for example)? "
            "Just reply to this message and we will sort it out straight away.",
            PAY,
        ),
    },
    "reminder": {
        "nl": letter(
            f"Herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            DEAR_NL,
            f"Volgens onze administratie hebben wij de betaling van onderstaande {FACTUUR} nog niet "
            "{% if received.amount %}volledig {% endif %}ontvangen. Mogelijk is dit aan uw aandacht ontsnapt.",
            INVOICES,
            *received("nl"),
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            "Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen. Klopt er "
            f"iets niet aan de {FACTUUR}, laat het ons dan weten door op dit bericht te reageren.",
            PAY,
        ),
        "en": letter(
            f"Reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            DEAR_EN,
            "According to our records we have not yet received {% if received.amount %}full {% endif %}payment "
            f"of the {INVOICE} below. Perhaps this has slipped your attention.",
            INVOICES,
            *received("en"),
            PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN),
            "If you have already paid, please disregard this reminder. If something is wrong with the "
            f"{INVOICE}, please let us know by replying to this message.",
            PAY,
        ),
    },
    "firm_reminder": {
        "nl": letter(
            f"Aanmaning: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Aanmaning {ONE_OR_MORE_NL}",
            DEAR_NL,
            f"Ondanks onze eerdere herinnering hebben wij de betaling van onderstaande {FACTUUR} nog altijd "
            "niet {% if received.amount %}volledig {% endif %}ontvangen. De betaaltermijn is verstreken.",
            INVOICES,
            *received("nl"),
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            *announce("nl"),
            f"Is er een reden waarom u (nog) niet kunt betalen, of bent u het niet eens met de {FACTUUR}? "
            "Reageer dan op dit bericht, dan zoeken wij samen naar een oplossing.",
            PAY,
        ),
        "en": letter(
            f"Formal notice: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Formal notice: {ONE_OR_MORE_EN}",
            DEAR_EN,
            "Despite our earlier reminder, we have still not received {% if received.amount %}full {% endif %}"
            f"payment of the {INVOICE} below. The payment term has expired.",
            INVOICES,
            *received("en"),
            PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN),
            *announce("en"),
            f"Is there a reason you cannot pay yet, or do you disagree with the {INVOICE}? Please reply to "
            "this message so we can find a solution together.",
            PAY,
        ),
    },
    # Not a "last" letter: the final notice comes after it, so it promises exactly that.
    "last_reminder": {
        "nl": letter(
            f"Nog steeds niet betaald: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Herinnering {ONE_OR_MORE_NL}",
            GREET_NL,
            *general(GENERAL_NL),
            "Onderstaande {% if invoices|length == 1 %}factuur is{% else %}facturen zijn{% endif %} nog altijd "
            "niet {% if received.amount %}volledig {% endif %}betaald:",
            INVOICES,
            *received("nl"),
            *claim("nl"),
            PAY_NL.format(kind="{% if claim.costs_due %}dit bedrag van{% else %}het openstaande bedrag van"
                          "{% endif %}", when=BY_DEADLINE),
            "Ontvangen wij vóór {{ letter.deadline|date }} geen betaling of reactie, dan sturen wij u een "
            "laatste sommatie; daarna geven wij de vordering uit handen.",
            "Kunt u niet in één keer betalen, of klopt er iets niet? Reageer dan op dit bericht; dan zoeken wij "
            "samen naar een oplossing.",
            PAY,
        ),
        "en": letter(
            f"Still unpaid: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            GREET_EN,
            *general(GENERAL_EN),
            "The {% if invoices|length == 1 %}invoice below is{% else %}invoices below are{% endif %} still "
            "{% if received.amount %}not fully paid{% else %}unpaid{% endif %}:",
            INVOICES,
            *received("en"),
            *claim("en"),
            PAY_EN.format(kind="{% if claim.costs_due %}this amount of{% else %}the open amount of{% endif %}",
                          when=BY_DEADLINE_EN_FIXED),
            "If we have received neither payment nor a response by {{ letter.deadline|date }}, we will send you "
            "a final notice, after which we will hand the claim over.",
            "If you cannot pay in one go, or something is not right, please reply to this message so we can "
            "find a solution together.",
            PAY,
        ),
    },
}
