"""A party's address block ends with its country's name only when the country is not the other party's."""

from __future__ import annotations

import dataclasses

from parsers.invoice.model import Party
from parsers.invoice.postal_address import country_name, country_of_line


def as_posted(party: Party, other: Party, language: str | None) -> Party:
    """The party with its country's name (in the invoice's language) as the address's last line when it lives in
    another country than the other party; without one when both live in the same country (a domestic letter
    carries no country line). When the other party's country is unknown the address stays as printed."""
    if not party.address or not party.country or not other.country:
        return party
    lines = party.address.split("\n")
    named = country_of_line(lines[-1]) if len(lines) > 1 else None
    if party.country == other.country:
        return dataclasses.replace(party, address="\n".join(lines[:-1])) if named else party
    if named:
        return party  # the address already names its country, as printed
    return dataclasses.replace(party, address=f"{party.address}\n{country_name(party.country, language)}")
