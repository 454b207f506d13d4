"""Postal addresses as printed: postcodes by country format, country lines by name, and the country they point to."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from stdnum.nl import postcode as nl_postcode

# Letters of a postcode's country prefix ("B-1000 Brussel", "D-63571 Gelnhausen", "NL-1015 AA") as posts print it.
_PREFIXES = {"NL": "NL", "B": "BE", "BE": "BE", "D": "DE", "DE": "DE", "F": "FR", "FR": "FR", "A": "AT", "AT": "AT",
             "CH": "CH", "L": "LU", "LU": "LU", "I": "IT", "IT": "IT", "E": "ES", "ES": "ES", "DK": "DK", "S": "SE",
             "SE": "SE", "N": "NO", "NO": "NO", "PL": "PL", "FI": "FI", "P": "PT", "PT": "PT", "IRL": "IE"}
_PREFIXED = re.compile(r"(?<![\w-])(" + "|".join(sorted(_PREFIXES, key=len, reverse=True)) +
                       r")(?:\s?[-–]\s?|\s)(\d{4,5}(?:\s?[A-Z]{2})?)(?=\s+[^\W\d])")
_NL = re.compile(r"(?<![\w-])([1-9]\d{3}\s?[A-Z]{2})(?=\s+[^\W\d])")
_GB = re.compile(r"(?<![\w-])((?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])")
_IE = re.compile(r"(?<![\w-])([AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}(?![\w-])")
_DIGITS = re.compile(r"(?<![\w.,/:-])(\d{4,5})(?=\s+[^\W\d])")
# Countries whose postcodes have only the digit count to tell them apart: with no other evidence the address is
# domestic (posts want no country line on a domestic letter), or the invoice's language settles it.
_FOUR_DIGITS = ("BE", "AT", "CH", "LU", "DK", "NO", "HU")
_FIVE_DIGITS = ("DE", "FR", "IT", "ES", "FI", "SE", "PL", "US")
_BY_LANGUAGE = {(4, "nl"): "BE", (5, "de"): "DE", (5, "fr"): "FR"}
_ALIASES = {"holland": "NL", "the netherlands": "NL", "nederland": "NL", "uk": "GB", "u.k.": "GB", "england": "GB",
            "great britain": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US",
            "u.s.a.": "US", "united states of america": "US", "hong kong": "HK", "hongkong": "HK",
            "belgie": "BE", "deutschland": "DE", "brd": "DE", "schweiz": "CH", "suisse": "CH"}
_NAME_LOCALES = ("nl", "en", "de", "fr", "it", "es", "pt", "da", "sv", "nb", "pl", "fi")


@dataclass(frozen=True)
class Postcode:
    """A postcode found in a line: where, and the countries whose format it fits (one when it is certain)."""

    start: int
    end: int
    countries: tuple[str, ...]


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace("-", " ").split()).strip(" .,")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names = {_folded(alias): code for alias, code in _ALIASES.items()}
    for locale in _NAME_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_folded(name), code)
    return names


def country_of_line(line: str) -> str | None:
    """The ISO code of a line that is only a country's name ("Belgique", "NEDERLAND", "United Kingdom")."""
    folded = _folded(line)
    return _country_names().get(folded) if 2 < len(folded) <= 40 else None


def country_name(code: str, language: str | None) -> str:
    """The country's name in the given language (English when unknown), for the last line of a foreign address."""
    return Locale.parse(language or "en").territories.get(code, code)


def find_postcode(line: str) -> Postcode | None:
    """The first postcode in a line, recognised by the formats of the countries we post to most."""
    m = _PREFIXED.search(line)
    if m:
        return Postcode(m.start(), m.end(2), (_PREFIXES[m.group(1)],))
    m = _NL.search(line)
    if m and nl_postcode.is_valid(m.group(1)):
        return Postcode(m.start(), m.end(), ("NL",))
    m = _GB.search(line)
    if m:
        return Postcode(m.start(), m.end(), ("GB",))
    m = _IE.search(line)
    if m:
        return Postcode(m.start(), m.end(), ("IE",))
    m = _DIGITS.search(line)
    if m:
        return Postcode(m.start(), m.end(), _FOUR_DIGITS if len(m.group(1)) == 4 else _FIVE_DIGITS)
    return None


def infer_country(postcode: Postcode | None, country_line: str | None, vat_id: str | None,
                  home: str | None, language: str | None) -> str | None:
    """The address's country from the strongest evidence: a printed country line, a country prefix or a
    postcode format only one country uses, the party's VAT id, then (for a postcode several countries could
    have) the sender's own country, since a domestic address carries no country line, then the language."""
    if country_line:
        return country_line
    if postcode and len(postcode.countries) == 1:
        return postcode.countries[0]
    vat_country = country_of_identifier(vat_id)
    if vat_country and (postcode is None or vat_country in postcode.countries):
        return vat_country
    if postcode is None:
        return None
    if home in postcode.countries:
        return home
    digits = 4 if postcode.countries == _FOUR_DIGITS else 5
    return _BY_LANGUAGE.get((digits, language or ""))


def address_lines(cells: Iterable[str]) -> tuple[list[str], Postcode | None, str | None]:
    """From a party block's lines after its name: the address lines (street, postcode and city, a country line),
    the postcode found and the country a country line names. After a postcode line only another one ("1242 chemin
    de l'olive" merely looks like "1242 Chemin" before "84340 Malaucène") or a country line may follow; a contact
    person or phone line ends the address."""
    lines: list[str] = []
    postcodes: list[Postcode] = []
    country: str | None = None
    for cell in cells:
        text = " ".join(cell.split())
        named = country_of_line(text)
        if named and lines:
            lines.append(text)
            country = named
            break
        found = find_postcode(text)
        if found is None and (postcodes or not lines and not re.search(r"\d", text)):
            if postcodes:
                break
            continue  # a contact person or department before the street
        lines.append(text)
        if found is not None:
            postcodes.append(found)
        if len(lines) == 5:
            break
    if not postcodes and country is None:
        return [], None, None
    return lines, (postcodes[-1] if postcodes else None), country


_NUMBER_FIRST = {"FR", "GB", "IE", "US", "CA", "AU", "LU"}


def street_line(street: str | None, number: str | None, country: str | None) -> str | None:
    """Street and house number in the country's order ("Kerkstraat 2", "35 rue de la République")."""
    if not number:
        return street
    if not street:
        return number
    return f"{number} {street}" if country in _NUMBER_FIRST else f"{street} {number}"


def printable_block(streets: Iterable[str | None], postcode: str | None, city: str | None, region: str | None,
                    country: str | None, country_line: str | None) -> str | None:
    """The address block of structured fields, laid out as the country's post wants it: "1000 Brussel",
    British and Irish towns above their postcode, American "City, ST 12345"; `country_line` closes it."""
    lines = [" ".join(s.split()) for s in streets if s and s.strip()]
    if country in ("GB", "IE"):
        lines += [part for part in (city, postcode) if part]
    elif country in ("US", "CA", "AU"):
        tail = " ".join(part for part in (region, postcode) if part)
        lines.append(", ".join(part for part in (city, tail) if part))
    else:
        lines.append(" ".join(part for part in (postcode, city) if part))
    lines = [line for line in lines if line]
    if not lines:
        return None
    if country_line:
        lines.append(country_line)
    return "\n".join(lines)


def read_printed(cells: Iterable[str], vat_id: str | None, home: str | None,
                 language: str | None) -> tuple[str | None, str | None]:
    """(address block, ISO country) of a printed party block's lines after its name; (None, None) when the lines
    hold no postcode or country line. `home` is the other party's country (see `infer_country`)."""
    lines, postcode, named = address_lines(cells)
    if not lines:
        return None, None
    return "\n".join(lines), infer_country(postcode, named, vat_id, home, language)


def country_of_identifier(value: str | None) -> str | None:
    """The country prefix of a VAT id or IBAN ("BE0403170701" → "BE", Greek VAT "EL…" → "GR")."""
    if not value or not value[:2].isalpha():
        return None
    return {"EL": "GR"}.get(value[:2].upper(), value[:2].upper())
