"""Postcodes by country format, country lines by name, and the order of evidence for a party's country."""

from __future__ import annotations

import pytest

from parsers.invoice.postal_address import address_lines, country_of_line, find_postcode, infer_country


@pytest.mark.parametrize(("line", "countries"), [
    ("3511 ED Utrecht", ("NL",)),
    ("B-1000 Brussel", ("BE",)),
    ("D-63571 Gelnhausen", ("DE",)),
    ("DE 80333 München", ("DE",)),
    ("London NW1 6XE", ("GB",)),
    ("M2 4LQ", ("GB",)),
])
def test_postcodes_only_one_country_uses(line, countries):
    found = find_postcode(line)
    assert found is not None and found.countries == countries


def test_digit_postcodes_fit_several_countries():
    assert "BE" in find_postcode("1000 Bruxelles").countries and "AT" in find_postcode("1010 Wien").countries
    assert {"DE", "FR"} <= set(find_postcode("75001 Paris").countries)
    assert find_postcode("Postbus 367") is None and find_postcode("Factuurnummer 993548900") is None


@pytest.mark.parametrize(("line", "code"), [("België", "BE"), ("BELGIQUE", "BE"), ("Belgien", "BE"),
                                            ("United Kingdom", "GB"), ("Nederland", "NL"), ("Hong Kong", "HK")])
def test_country_lines_in_several_languages(line, code):
    assert country_of_line(line) == code


def test_a_town_is_not_a_country():
    assert country_of_line("Utrecht") is None and country_of_line("Paris") is None


def test_evidence_order_for_the_country():
    brussels = find_postcode("1000 Bruxelles")
    assert infer_country(brussels, "LU", "BE0403170701", "BE", "fr") == "LU"  # a printed country line first
    assert infer_country(find_postcode("3511 ED Utrecht"), None, None, "BE", "fr") == "NL"  # a unique format
    assert infer_country(brussels, None, "BE0403170701", "AT", "de") == "BE"  # then the party's VAT id
    assert infer_country(brussels, None, None, "BE", "de") == "BE"  # then domestic: the seller's country
    assert infer_country(brussels, None, None, "NL", "nl") == "BE"  # then the language
    assert infer_country(brussels, None, None, "NL", "fr") is None  # French by four digits: BE, CH or LU
    assert infer_country(None, None, None, "NL", "nl") is None


def test_address_lines_stop_at_the_contact_person_and_take_the_last_postcode_line():
    lines, postcode, country = address_lines(["1242 chemin de l'olive", "84340 Malaucène", "France",
                                              "Tony Dubois"])
    assert lines == ["1242 chemin de l'olive", "84340 Malaucène", "France"] and country == "FR"
    lines, _, _ = address_lines(["Stationsplein 1", "3511 ED Utrecht", "Jan Jansen"])
    assert lines == ["Stationsplein 1", "3511 ED Utrecht"]


def test_country_line_only_on_a_foreign_address():
    from parsers.invoice.model import Party
    from parsers.invoice.party_address import as_posted

    german, dutch = Party(country="DE"), Party(country="NL")
    printed = Party(address="Kundenstraße 15\n69876 Frankfurt\nDeutschland", country="DE")
    assert as_posted(printed, german, "de").address == "Kundenstraße 15\n69876 Frankfurt"
    assert as_posted(printed, dutch, "nl").address == printed.address
    bare = Party(address="Kundenstraße 15\n69876 Frankfurt", country="DE")
    assert as_posted(bare, dutch, "nl").address == "Kundenstraße 15\n69876 Frankfurt\nDuitsland"
    assert as_posted(bare, dutch, None).address.endswith("\nGermany")
    assert as_posted(bare, Party(), "nl").address == bare.address
