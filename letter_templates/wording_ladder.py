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
    INVOICE,
    INVOICES,
    IS_ARE,
    ONE_OR_MORE_EN,
    ONE_OR_MORE_NL,
    PAY,
    PAY_EN,
    PAY_NL,
    Letter,
    letter,
)

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
            f"Volgens onze administratie hebben wij de betaling van onderstaande {FACTUUR} nog niet ontvangen. "
            "Mogelijk is dit aan uw aandacht ontsnapt.",
            INVOICES,
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            "Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen. Klopt er "
            f"iets niet aan de {FACTUUR}, laat het ons dan weten door op dit bericht te reageren.",
            PAY,
        ),
        "en": letter(
            f"Reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Reminder: {ONE_OR_MORE_EN}",
            DEAR_EN,
            f"According to our records we have not yet received payment of the {INVOICE} below. "
            "Perhaps this has slipped your attention.",
            INVOICES,
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
            "niet ontvangen. De betaaltermijn is verstreken.",
            INVOICES,
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
            "Ontvangen wij uw betaling niet op tijd, dan kunnen wij de wettelijke rente vanaf de "
            "vervaldatum en buitengerechtelijke incassokosten bij u in rekening brengen. Dat willen wij "
            "graag voorkomen.",
            f"Is er een reden waarom u (nog) niet kunt betalen, of bent u het niet eens met de {FACTUUR}? "
            "Reageer dan op dit bericht, dan zoeken wij samen naar een oplossing.",
            PAY,
        ),
        "en": letter(
            f"Formal notice: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Formal notice: {ONE_OR_MORE_EN}",
            DEAR_EN,
            f"Despite our earlier reminder, we have still not received payment of the {INVOICE} below. "
            "The payment term has expired.",
            INVOICES,
            PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN),
            "If we do not receive your payment in time, we may charge statutory interest from the due "
            "date as well as extrajudicial collection costs. We would much rather avoid that.",
            f"Is there a reason you cannot pay yet, or do you disagree with the {INVOICE}? Please reply to "
            "this message so we can find a solution together.",
            PAY,
        ),
    },
    "last_reminder": {
        "nl": letter(
            f"Laatste herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            f"Laatste herinnering {ONE_OR_MORE_NL}",
            "Geachte heer, mevrouw,",
            "Wij sturen deze brief naar het algemene adres van {{ debtor.name }}, met "
            "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}onze contactpersoon{% endif %}"
            " in kopie, omdat wij op onze eerdere herinneringen geen reactie hebben ontvangen. Mogelijk "
            "werkt onze contactpersoon niet meer bij uw organisatie. Wilt u deze brief doorsturen naar "
            "degene die bij u over de betaling van facturen gaat?",
            "Onderstaande {% if invoices|length == 1 %}factuur is{% else %}facturen zijn{% endif %} nog altijd "
            "niet betaald:",
            INVOICES,
            PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE),
            "Ontvangen wij vóór {{ letter.deadline|date }} geen betaling of reactie, dan dragen wij de "
            "vordering zonder verdere aankondiging over voor incasso. De wettelijke rente en de "
            "buitengerechtelijke incassokosten komen dan voor uw rekening.",
            PAY,
            addressee="finance",
        ),
        "en": letter(
            f"Final reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            f"Final reminder: {ONE_OR_MORE_EN}",
            "Dear Sir or Madam,",
            "We are sending this letter to the general address of {{ debtor.name }}, with "
            "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}our contact person{% endif %}"
            " in copy, because we have received no response to our earlier reminders. Our contact person "
            "may no longer work at your organisation. Would you please forward this letter to whoever "
            "handles invoice payments?",
            f"The {INVOICE} below {IS_ARE} still unpaid:",
            INVOICES,
            PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN_FIXED),
            "If we have received neither payment nor a response by {{ letter.deadline|date }}, we will "
            "hand the claim over for collection without further notice. Statutory interest and "
            "extrajudicial collection costs will then be charged to you.",
            PAY,
            addressee="finance",
        ),
    },
}
