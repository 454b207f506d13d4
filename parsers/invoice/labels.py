"""Field labels printed on invoices: hand-tuned rules for nl/en/de/fr, the other EU languages from field_labels.toml."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

# Labels of a balance in the customer's favour ("per saldo te ontvangen", "Guthaben", "en votre faveur").
CREDIT_BALANCE = (r"(?:per\s+saldo\s+)?te\s+ontvangen|te\s+uwen\s+gunste|in\s+uw\s+voordeel|"
                  r"(?:balance|amount)\s+(?:in\s+your\s+favou?r|to\s+be\s+refunded|due\s+to\s+you)|"
                  r"(?:ihr\s+)?guthaben|zu\s+ihren\s+gunsten|(?:solde|montant)\s+en\s+votre\s+faveur|"
                  r"(?:montant\s+)?(?:à|a)\s+rembourser")

# Each field: list of (regex, priority). A higher priority wins; labels are matched case-insensitively
# at a word start, and where labels of different fields overlap the longest match wins.
LABELS: dict[str, list[tuple[str, int]]] = {
    "invoice_number": [
        (r"factuur\s*(?:nummer|nr\.?|no\.?)", 3), (r"invoice\s*(?:number|no\.?|nr\.?|#|num\.?)", 3),
        (r"rechnungs?\s*-?\s*(?:nummer|nr\.?|no\.?)", 3),
        (r"\w*rechnung\s*(?:\(\d+\)\s*)?(?:nummer|nr\.?|no\.?)", 3),
        (r"(?:num[ée]ro\s+de\s+facture|n°\s*(?:de\s+)?facture)", 3),
        (r"facture\s*(?:n°|no\.?|num[ée]ro|#)", 3), (r"credit\s*(?:note|nota)\s*(?:number|no\.?|nr\.?|nummer)?", 2),
        (r"creditfactuur\s*(?:nummer|nr\.?)?", 2), (r"gutschrift\s*(?:nummer|nr\.?)?", 2),
        (r"avoir\s*(?:n°|no\.?)?", 2), (r"beleg\s*-?\s*(?:nummer|nr\.?)", 2), (r"document\s*(?:number|no\.?)", 2),
        (r"factuur", 1), (r"invoice", 1), (r"\w*rechnung", 1), (r"facture", 1), (r"nota", 1),
        (r"(?<![\w#])#", 1),
        # A bare "Nummer" / "No." beside the number (the document's title says what it numbers).
        (r"nummer", 1), (r"number", 1), (r"num[ée]ro", 1), (r"no\.", 1), (r"nr\.", 1), (r"n°", 1),
    ],
    "issue_date": [
        (r"factuur\s*datum", 3), (r"invoice\s*date", 3), (r"date\s+of\s+invoice", 3), (r"rechnungs\s*datum", 3),
        (r"date\s+(?:de\s+(?:la\s+)?)?facture", 3), (r"date\s+d['’]émission", 3), (r"issue\s*date", 3),
        (r"beleg\s*-?\s*datum", 2), (r"datum\s+(?:factuur|rechnung)", 3), (r"date\s+issued", 3),
        (r"datum", 1), (r"date", 1), (r"dated", 1),
    ],
    "due_date": [
        (r"verval\s*datum", 3), (r"vervaldag", 3), (r"uiterste\s+betaal\s*datum", 3), (r"due\s*date", 3),
        (r"payment\s+due(?:\s+date)?", 3), (r"f[äa]llig(?:keits?(?:datum|tag)|keit)?(?:\s+am)?", 3),
        (r"zahlungsziel", 3), (r"betaal\s*datum", 3), (r"expiry\s+date", 2),
        (r"zahlbar\s+bis", 3), (r"date\s+d['’]échéance", 3), (r"échéance", 3), (r"betalen\s+v[oó][oó]r", 2),
        (r"pay\s+(?:by|before)", 2), (r"due\s+by", 2), (r"due", 1),
        # Sentences that ask for payment by a date ("Bitte überweisen Sie bis zum", "uiterlijk op").
        (r"(?:[üu]berweisen|zahlen|bezahlen|begleichen)(?:\s+sie)?(?:\s+den\s+betrag)?\s+bis(?:\s+(?:zum|spätestens))?",
         2),
        (r"(?:betalen|voldoen|overmaken|over\s+te\s+maken|overgemaakt|betaald)\s+(?:v[oó][oó]r|uiterlijk(?:\s+op)?)",
         2),
        (r"uiterlijk(?:\s+op)?", 1), (r"(?:payable|payment|paid)\s+(?:by|before|no\s+later\s+than)", 2),
        (r"(?:r[ée]gler|payer|payable|pay[ée]e?)\s+(?:avant|au\s+plus\s+tard)(?:\s+le)?", 2),
    ],
    "amount_due": [
        (r"te\s+betalen(?:\s+bedrag)?", 5), (r"openstaand(?:\s+bedrag)?", 5), (r"amount\s+due", 5),
        (r"balance\s+due", 5), (r"total\s+due", 5), (r"amount\s+payable", 5), (r"(?:total\s+)?to\s+pay", 4),
        (r"zahlbetrag", 5), (r"offener\s+betrag", 5), (r"restbetrag", 5),
        (r"solde\s+(?:à|a)\s+payer", 5), (r"net\s+(?:à|a)\s+payer", 5), (r"montant\s+dû", 5),
        (r"reste\s+(?:à|a)\s+payer", 5), (r"montant\s+(?:à|a)\s+payer", 5),
        (r"(?:residual|remaining|outstanding)(?:\s+(?:amount|balance))?", 5),
        (r"nog\s+te\s+betalen", 5),
        # A balance the customer receives (a credit): read like an amount due, then signed negative.
        (CREDIT_BALANCE, 5), (r"saldo(?:\s+te\s+betalen)?", 4),
        # "Beitrag" is what an insurer's invoice asks: the premium ("zu zahlender Beitrag", "Rechnungsbeitrag").
        (r"zu\s+zahlen(?:de[rn]?)?(?:\s+(?:betrag|beitrag|summe))?", 5),
        (r"tota(?:a)?l\s*(?:bedrag\s*)?incl(?:\.|usief)?\s*(?:btw|vat|tax)?", 3),
        (r"bedrag\s+incl(?:\.|usief)?\s*btw", 3),
        (r"total\s+ttc", 3), (r"montant\s+ttc", 3), (r"gesamt\s*betrag", 3),
        (r"rechnungs\s*(?:betrag|beitrag|summe)", 3),
        (r"end\s*betrag", 3), (r"\w*summe\s+brutto", 3), (r"\w*betrag\s+brutto", 3),
        (r"brutto(?:\s*betrag)?", 2), (r"gesamt(?:summe)?", 2), (r"grand\s+total", 3),
        (r"total\s+amount", 2), (r"factuurbedrag", 3), (r"totaal", 1), (r"total", 1), (r"summe", 1),
    ],
    "total_excl_vat": [
        (r"(?:sub)?tota(?:a)?l\s*excl(?:\.|usief)?\s*(?:btw|vat)?", 3), (r"exclusief\s+btw", 3), (r"subtota(?:a)?l", 1),
        (r"total\s+ht", 3), (r"montant\s+ht", 3), (r"netto(?:betrag|summe)?", 2), (r"net\s+amount", 2),
    ],
    "vat_total": [
        (r"(?:totaal\s+)?btw(?:\s+bedrag)?", 1), (r"vat(?:\s+amount)?", 1), (r"tax", 1), (r"ust\.?", 1),
        (r"mwst\.?", 1), (r"umsatzsteuer", 1), (r"tva", 1),
    ],
    "buyer": [
        (r"factuur\s*adres", 3), (r"factuur\s+aan", 3), (r"gefactureerd\s+aan", 3), (r"klant(?:gegevens)?\s*:", 2),
        (r"bill\s*(?:ed)?\s*to", 3), (r"invoice\s+to", 3), (r"sold\s+to", 2), (r"customer\s*:", 2),
        (r"rechnungs\s*empfänger", 3), (r"kunde\s*:", 2), (r"factur[ée]\s+(?:à|a)", 3), (r"client\s*:", 2),
        (r"aan\s*:", 1), (r"to\s*:", 1), (r"(?:k[äa]ufer|leistungsempf[äa]nger)(?:/leistungsempf[äa]nger)?\s*:?", 2),
        (r"buyer\s*:?", 2), (r"koper\s*:", 2), (r"afnemer\s*:?", 2), (r"debiteur\s*:", 2), (r"acheteur\s*:?", 2),
    ],
    "seller": [
        (r"verk[äa]ufer\s*:?", 2), (r"lieferant\s*:", 2), (r"seller\s*:?", 2), (r"supplier\s*:?", 2),
        (r"leverancier\s*:", 2), (r"verkoper\s*:", 2), (r"fournisseur\s*:", 2), (r"vendeur\s*:?", 2),
        (r"from\s*:", 1), (r"van\s*:", 1), (r"absender\s*:", 2), (r"afzender\s*:", 2),
    ],
}
# Where the labels of the other EU languages (field_labels.toml) go, and how strongly each one counts.
_TABLE_FIELDS = {"invoice_number": ("invoice_number", 3), "issue_date": ("issue_date", 3),
                 "due_date": ("due_date", 3), "amount_due": ("amount_due", 5), "total": ("amount_due", 2),
                 "total_excl_vat": ("total_excl_vat", 3), "vat_total": ("vat_total", 1), "buyer": ("buyer", 2),
                 "seller": ("seller", 2)}


def _table_labels() -> dict[str, list[tuple[str, int]]]:
    """The labels of field_labels.toml as (regex, priority) per field, leaving out what the rules above read."""
    table = tomllib.loads(resources.files("parsers.invoice").joinpath("field_labels.toml").read_text("utf-8"))
    known = [re.compile(pattern, re.I) for entries in LABELS.values() for pattern, _ in entries]
    added: dict[str, list[tuple[str, int]]] = {}
    for entry in table.values():
        for key, phrases in entry.items():
            field_name, priority = _TABLE_FIELDS[key]
            for phrase in phrases:
                if any(pattern.fullmatch(phrase) for pattern in known):
                    continue
                regex = r"\s*".join(re.escape(word) for word in phrase.split())
                if (regex, priority) not in added.setdefault(field_name, []):
                    added[field_name].append((regex, priority))
    return added


for _field, _entries in _table_labels().items():
    LABELS[_field].extend(_entries)

NEGATIVE_WORDS = re.compile(r"^(?:incl|excl|exkl|ohne|hors|zonder)", re.I)


def compiled_labels() -> list[tuple[str, re.Pattern[str], int]]:
    """All labels as (field, compiled pattern, priority)."""
    out = []
    for field_name, entries in LABELS.items():
        for pattern, priority in entries:
            out.append((field_name, re.compile(rf"(?<![\w]){pattern}(?!\w)", re.I), priority))
    return out


def any_label_pattern() -> re.Pattern[str]:
    """One pattern that matches wherever any label matches: lines without a label skip the per-label scans."""
    alternatives = "|".join(rf"(?:{pattern})(?!\w)" for entries in LABELS.values() for pattern, _ in entries)
    return re.compile(rf"(?<![\w])(?:{alternatives})", re.I)
