"""A party's address block ends with its country's name only when the country is not the other party's."""

from __future__ import annotations

import dataclasses

from parsers.invoice.model import Party
from parsers.invoice.postal_address import country_name, country_of_line


def abroad(party: Party, other: Party, language: str | None) -> Party:
    """The party with its country's name (in the invoice's language) as the address's last line when it lives in
    another country than the other party, or when the other party's country is unknown."""
    if not party.address or not party.country or party.country == other.country:
        return party
    if country_of_line(party.address.rsplit("\n", 1)[-1]):
        return party  # the address already names its country
    return dataclasses.replace(party, address=f"{party.address}\n{country_name(party.country, language)}")
