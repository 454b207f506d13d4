"""Which of Dutch, English, German and French a text is written in: counted words of each language, with a margin."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

LANGUAGES = ("nl", "en", "de", "fr")

# Words a business text in each language cannot do without: function words (which every sentence uses) and the
# vocabulary of invoices, reminders and replies. Words spelled the same in two of the languages ("in", "de",
# "datum", "total", "netto", "des") are dropped from both below, so one shared word never decides a language.
_WORDS = {
    "nl": """we is het een van dat op te met voor zijn niet aan er om ook als bij door naar dan nog wel maar uit worden
        wordt werd heeft hebben deze dit onze uw wij ons graag zal zullen kunnen moet moeten tot na geen wat binnen
        uiterlijk reeds mogelijk indien gelieve heer mevrouw geachte beste betreft hierbij vragen bedankt dank alvast
        groet groeten vriendelijke hartelijke onder hebt heb ik je jij zij jullie komende volgende week maand vandaag
        morgen gaan gedaan
        factuur factuurnummer factuurdatum factuuradres btw totaal subtotaal betalen betaling betaald bedrag
        vervaldatum vervaldag omschrijving aantal klant klantnummer dagen betalingstermijn termijn rekening overmaken
        vermelding prijs stuk stuks levering leveringen exclusief inclusief openstaand openstaande herinnering
        aanmaning korting verzenddatum besteldatum ordernummer artikel artikelomschrijving voorwaarden algemene
        toepassing incasso rekeningnummer overgemaakt voldaan afspraak werkzaamheden gefactureerd zoals""",
    "en": """the and to is are for with that this we our you your be have has will please thank thanks regards kind
        dear sir madam from at by it as or not any been would should could can may shall within after before which
        who what when how there their they them my me yes sure already still just next month today tomorrow
        invoice invoices amount due paid pay payable payment payments balance bill billed customer quantity price
        unit subtotal tax terms days account number order received sent attached hereby herewith overdue reminder
        outstanding transfer questions sold ship shipping item items issued statement charges fee fees agreed
        services through charge contract ordered delivered delivery goods""",
    "de": """der das und ist nicht mit von zu den dem des ein eine einer eines auf für sich im auch bitte wir uns
        unser unsere unseren ihr ihre ihren ihnen sie sehr geehrte geehrter damen herren freundlichen grüßen grüsse
        gruß wird werden wurde sind bei bis oder aus nach zum zur vom um noch nur schon dass kein keine innerhalb
        nächste nächsten woche heute morgen bereits
        rechnung rechnungsnummer rechnungsdatum betrag zahlung mwst ust umsatzsteuer gesamt gesamtbetrag menge tage
        summe zahlbar fällig fälligkeit fälligkeitsdatum kunde kundennummer lieferung leistung leistungszeitraum
        einzelpreis beschreibung bezeichnung zahlungsziel skonto überweisen überweisung bankverbindung steuernummer
        steuer rabatt endbetrag zahlungsbedingungen lieferschein bestellnummer gutschrift mahnung
        zahlungserinnerung offener rechnungsbetrag nettobetrag bruttobetrag abzug ohne anzahlung vielen dank
        beträge bezahlt gemäß bestellung geschäftsführer lieferant lieferanten""",
    "fr": """le la les des du un une et est pour par sur dans au aux ce cette ces nous vous votre vos notre nos sont
        avec pas ne que qui sera été être avons avez merci cordialement madame monsieur bonjour salutations veuillez
        agréer ci joint jointe il elle leur semaine prochaine mois aujourd demain déjà
        facture factures montant paiement tva ht ttc désignation quantité règlement jours échéance prix unitaire
        remise escompte pénalité pénalités retard taux intérêt légal indemnité forfaitaire recouvrement acompte
        solde payer payé virement numéro livraison commande acquittée encaissements siège social capital avoir
        dossier exonération versement réglé""",
}
_TOKEN = re.compile(r"[^\W\d_]{2,}")
_PER_WORD = 3  # a repeated table heading counts no more than a few sentences would


def _vocabulary(words: Mapping[str, str]) -> dict[str, str]:
    seen = Counter(word for text in words.values() for word in set(text.split()))
    return {word: lang for lang, text in words.items() for word in text.split() if seen[word] == 1}


_VOCABULARY = _vocabulary(_WORDS)


def language_scores(text: str) -> dict[str, int]:
    """For each language, how many of its words the text uses (each distinct word counted at most three times)."""
    counts = Counter(token for token in _TOKEN.findall(text.lower()) if token in _VOCABULARY)
    scores = dict.fromkeys(LANGUAGES, 0)
    for word, count in counts.items():
        scores[_VOCABULARY[word]] += min(count, _PER_WORD)
    return scores


def decide_language(scores: Mapping[str, int], minimum: int, preferred: Iterable[str] = ()) -> str | None:
    """The leading language when it has `minimum` words and leads the next one clearly (by half as many again
    plus one); else, when the lead is narrow, the leader if it is one of `preferred` (the languages of the
    parties' countries) and the runner-up is not; else None."""
    ranked = sorted(scores, key=lambda lang: -scores[lang])
    best, second = ranked[0], ranked[1]
    if scores[best] < minimum:
        return None
    if scores[best] >= 1.5 * scores[second] + 1:
        return best
    preferred = set(preferred)
    if scores[best] > scores[second] and best in preferred and second not in preferred:
        return best
    return None
