"""Who a letter goes to: the contact, or for an escalation the company's general address with the contact in CC."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Addressing:
    """`general_missing`: the step wanted the general address but none is known (the business should add it)."""

    to: list[str]
    cc: list[str]
    general_missing: bool = False


def address_letter(*, contact: str, general: str | None, contact_undeliverable: bool, consumer: bool,
                   to_general_address: bool) -> Addressing:
    """A consumer is one person: every letter goes to his own address, nobody in copy. A company's escalation
    goes to its general address with the contact in CC (the contact may have left); a contact whose mail
    bounces is replaced by the general address."""
    if consumer:
        return Addressing([contact], [])
    contact_ok = not contact_undeliverable
    if to_general_address or not contact_ok:
        if general:
            return Addressing([general], [contact] if contact_ok and contact != general else [])
        if to_general_address:
            return Addressing([contact], [], general_missing=True)
    return Addressing([contact], [])
