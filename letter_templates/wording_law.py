"""The legal sentences of the letters, per language: each names its rule (see ../shared/domain.md and the rate
tables in worker/domain/law), and each speaks only where the debtor's regime (`claim`) makes it true.

Regimes: NL consumer (6:119 interest, WIK costs after the 14-dagenbrief), NL business (handelsrente 6:119a,
EUR 40 per invoice under 6:96 lid 4 or the WIK), BE consumer (Book XIX CEL: free first reminder, capped
damages, legal interest rate), BE business (Wet 2 augustus 2002: commercial rate, flat compensation).
"""

from __future__ import annotations

# Fragments are Jinja: they switch on claim.interest_kind / claim.costs_kind set by worker/domain/law/claim.py.
# Doubled braces: these sentences go through str.format to take in the interest and costs names.
_PCT = "{{{{ claim.interest_rate|percent }}}}"
_MONEY = "|money(currency) }}}}"

LAW: dict[str, dict[str, str]] = {
    "nl": {
        "interest": (
            "{% if claim.interest_kind == 'nl_consumer' %}de wettelijke rente (artikel 6:119 BW)"
            "{% elif claim.interest_kind == 'nl_commercial' %}de wettelijke handelsrente (artikel 6:119a BW)"
            "{% elif claim.interest_kind == 'be_legal' %}verwijlinterest tegen de wettelijke interestvoet"
            "{% else %}interest volgens de wet van 2 augustus 2002 betreffende de bestrijding van de "
            "betalingsachterstand bij handelstransacties{% endif %}"),
        "costs": (
            "{% if claim.costs_kind == 'be_damages' %}de forfaitaire schadevergoeding (boek XIX van het Wetboek "
            "van economisch recht)"
            "{% elif claim.country == 'BE' %}de forfaitaire vergoeding per factuur (wet van 2 augustus 2002)"
            "{% elif claim.costs_kind == 'wik' %}de buitengerechtelijke incassokosten (artikel 6:96 BW)"
            "{% else %}de vergoeding voor incassokosten van ten minste € 40 per factuur (artikel 6:96 lid 4 BW)"
            "{% endif %}"),
        "announce": (
            "Betaalt u niet op tijd, dan brengen wij u in rekening: {interest} vanaf de vervaldatum, nu " + _PCT
            + " per jaar, en {costs}, {{{{ claim.costs" + _MONEY + ". Dat willen wij graag voorkomen."),
        "claim": (
            "Omdat de betaling uitblijft, brengen wij u nu ook in rekening: {interest}, tot vandaag "
            "{{{{ claim.interest" + _MONEY + ", en {costs}, {{{{ claim.costs" + _MONEY + ". In totaal bent u ons "
            "daarmee {{{{ claim.total" + _MONEY + " verschuldigd."),
        "received": (
            "Wij hebben inmiddels {{ received.amount|money(currency) }} van u ontvangen{% if received.date %} "
            "(laatste betaling op {{ received.date|date }}){% endif %}; dank u wel. {% if received.to_costs or "
            "received.to_interest %}Die betaling is eerst afgeboekt op de kosten ({{ received.to_costs|money(currency) "
            "}}) en de rente ({{ received.to_interest|money(currency) }}) en daarna op de hoofdsom "
            "({{ received.to_principal|money(currency) }}){% if claim.country == 'NL' %}, zoals artikel 6:44 BW "
            "voorschrijft{% endif %}. {% endif %}Er staat nog {{ received.remaining|money(currency) }} open."),
    },
    "en": {
        "interest": (
            "{% if claim.interest_kind == 'nl_consumer' %}statutory interest (article 6:119 of the Dutch Civil Code)"
            "{% elif claim.interest_kind == 'nl_commercial' %}statutory commercial interest (article 6:119a of the "
            "Dutch Civil Code)"
            "{% elif claim.interest_kind == 'be_legal' %}late-payment interest at the Belgian legal interest rate"
            "{% else %}interest under the Belgian Act of 2 August 2002 on combating late payment in commercial "
            "transactions{% endif %}"),
        "costs": (
            "{% if claim.costs_kind == 'be_damages' %}the flat-rate damages (Book XIX of the Belgian Code of "
            "Economic Law)"
            "{% elif claim.country == 'BE' %}the flat-rate compensation per invoice (Belgian Act of 2 August 2002)"
            "{% elif claim.costs_kind == 'wik' %}extrajudicial collection costs (article 6:96 of the Dutch Civil Code)"
            "{% else %}compensation for collection costs of at least €40 per invoice (article 6:96(4) of the Dutch "
            "Civil Code){% endif %}"),
        "announce": (
            "If we do not receive your payment in time, we will charge you {interest} from the due date, currently "
            + _PCT + " a year, and {costs}, {{{{ claim.costs" + _MONEY + ". We would much rather avoid that."),
        "claim": (
            "As payment has not arrived, we now also charge you {interest}, {{{{ claim.interest" + _MONEY
            + " up to today, and {costs}, {{{{ claim.costs" + _MONEY + ". This brings the total you owe us to "
            "{{{{ claim.total" + _MONEY + "."),
        "received": (
            "We have meanwhile received {{ received.amount|money(currency) }} from you{% if received.date %} (last "
            "payment on {{ received.date|date }}){% endif %}; thank you. {% if received.to_costs or "
            "received.to_interest %}It was applied first to costs ({{ received.to_costs|money(currency) }}) and "
            "interest ({{ received.to_interest|money(currency) }}), then to the principal "
            "({{ received.to_principal|money(currency) }}){% if claim.country == 'NL' %}, as article 6:44 of the "
            "Dutch Civil Code requires{% endif %}. {% endif %}{{ received.remaining|money(currency) }} is still open."),
    },
    "fr": {
        "interest": (
            "{% if claim.interest_kind == 'nl_consumer' %}l'intérêt légal (article 6:119 du Code civil néerlandais)"
            "{% elif claim.interest_kind == 'nl_commercial' %}l'intérêt légal commercial (article 6:119a du Code "
            "civil néerlandais)"
            "{% elif claim.interest_kind == 'be_legal' %}des intérêts de retard au taux d'intérêt légal"
            "{% else %}des intérêts conformément à la loi du 2 août 2002 concernant la lutte contre le retard de "
            "paiement dans les transactions commerciales{% endif %}"),
        "costs": (
            "{% if claim.costs_kind == 'be_damages' %}l'indemnité forfaitaire (livre XIX du Code de droit économique)"
            "{% elif claim.country == 'BE' %}l'indemnité forfaitaire par facture (loi du 2 août 2002)"
            "{% elif claim.costs_kind == 'wik' %}les frais de recouvrement extrajudiciaires (article 6:96 du Code "
            "civil néerlandais){% else %}l'indemnité pour frais de recouvrement d'au moins 40 € par facture "
            "(article 6:96, alinéa 4, du Code civil néerlandais){% endif %}"),
        "announce": (
            "À défaut de paiement dans le délai, nous vous porterons en compte {interest} à partir de l'échéance "
            "(actuellement " + _PCT + " par an), ainsi que {costs}, soit {{{{ claim.costs" + _MONEY + ". Nous "
            "préférerions l'éviter."),
        "claim": (
            "Le paiement n'étant pas intervenu, nous vous portons désormais en compte {interest}, soit "
            "{{{{ claim.interest" + _MONEY + " à ce jour, ainsi que {costs}, soit {{{{ claim.costs" + _MONEY + ". Le "
            "montant total dû s'élève ainsi à {{{{ claim.total" + _MONEY + "."),
        "received": (
            "Nous avons entre-temps reçu {{ received.amount|money(currency) }}{% if received.date %} (dernier "
            "paiement le {{ received.date|date }}){% endif %} ; nous vous en remercions. {% if received.to_costs or "
            "received.to_interest %}Ce paiement a été imputé d'abord sur les frais "
            "({{ received.to_costs|money(currency) }}) et les intérêts ({{ received.to_interest|money(currency) }}), "
            "puis sur le principal "
            "({{ received.to_principal|money(currency) }}). {% endif %}Il reste "
            "{{ received.remaining|money(currency) }} à payer."),
    },
    "de": {
        "interest": (
            "{% if claim.interest_kind == 'nl_consumer' %}die gesetzlichen Zinsen (Artikel 6:119 des "
            "niederländischen Bürgerlichen Gesetzbuchs)"
            "{% elif claim.interest_kind == 'nl_commercial' %}die gesetzlichen Handelszinsen (Artikel 6:119a des "
            "niederländischen Bürgerlichen Gesetzbuchs)"
            "{% elif claim.interest_kind == 'be_legal' %}Verzugszinsen zum belgischen gesetzlichen Zinssatz"
            "{% else %}Zinsen nach dem belgischen Gesetz vom 2. August 2002 zur Bekämpfung des Zahlungsverzugs im "
            "Handelsverkehr{% endif %}"),
        "costs": (
            "{% if claim.costs_kind == 'be_damages' %}die pauschale Entschädigung (Buch XIX des belgischen "
            "Wirtschaftsgesetzbuchs)"
            "{% elif claim.country == 'BE' %}die Pauschale je Rechnung (belgisches Gesetz vom 2. August 2002)"
            "{% elif claim.costs_kind == 'wik' %}die außergerichtlichen Inkassokosten (Artikel 6:96 des "
            "niederländischen Bürgerlichen Gesetzbuchs){% else %}die Inkassokostenpauschale von mindestens 40 € je "
            "Rechnung (Artikel 6:96 Absatz 4 des niederländischen Bürgerlichen Gesetzbuchs){% endif %}"),
        "announce": (
            "Geht Ihre Zahlung nicht rechtzeitig ein, berechnen wir ab Fälligkeit {interest}, derzeit " + _PCT
            + " jährlich, sowie {costs} in Höhe von {{{{ claim.costs" + _MONEY + ". Das möchten wir gern "
            "vermeiden."),
        "claim": (
            "Da die Zahlung ausgeblieben ist, berechnen wir nun auch {interest}, bis heute {{{{ claim.interest"
            + _MONEY + ", sowie {costs} in Höhe von {{{{ claim.costs" + _MONEY + ". Insgesamt schulden Sie uns "
            "damit {{{{ claim.total" + _MONEY + "."),
        "received": (
            "Inzwischen haben wir {{ received.amount|money(currency) }} erhalten{% if received.date %} (letzte "
            "Zahlung am {{ received.date|date }}){% endif %}; vielen Dank. {% if received.to_costs or "
            "received.to_interest %}Die Zahlung wurde zuerst auf die Kosten ({{ received.to_costs|money(currency) }}) "
            "und die Zinsen ({{ received.to_interest|money(currency) }}) und dann auf die Hauptforderung "
            "({{ received.to_principal|money(currency) }}) angerechnet. {% endif %}Offen sind noch "
            "{{ received.remaining|money(currency) }}."),
    },
}


def law(language: str, key: str) -> str:
    """The sentence `key` in `language`, with its interest and costs names filled in."""
    words = LAW[language]
    text = words[key]
    if key in ("announce", "claim"):
        return text.format(interest=words["interest"], costs=words["costs"])
    return text


def announce(language: str) -> tuple[str, ...]:
    """Paragraphs announcing interest and costs to a business (a consumer hears of them in its term letter)."""
    return ("{%p if claim.charges and not claim.consumer %}", law(language, "announce"), "{%p endif %}")


def claim(language: str) -> tuple[str, ...]:
    """Paragraphs claiming interest and costs, only when this letter claims them and they are due."""
    return ("{%p if claim.costs_due %}", law(language, "claim"), "{%p endif %}")


def received(language: str) -> tuple[str, ...]:
    """Paragraphs acknowledging part payments: what came in, how it was applied, what remains."""
    return ("{%p if received.amount %}", law(language, "received"), "{%p endif %}")
