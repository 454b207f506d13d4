"""What erasing a debtor leaves: the pseudonym, and personal data taken out of recorded facts and texts."""

import re
from dataclasses import dataclass
from typing import Any

ERASED = "[erased]"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never delivered anywhere
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Free text a debtor wrote or a clerk noted about a person: gone whole, not searched through.
FREE_TEXT_KEYS = frozenset({"excerpt", "body", "text", "subject", "note", "message", "agreed", "who", "contact",
                            "contact_name", "address", "name", "lines", "reply", "summary"})


@dataclass(frozen=True)
class Pseudonym:
    """What an erased debtor is called from then on: stable per debtor, meaningless outside this service."""

    name: str
    email: str


def pseudonym_for(debtor_id: int) -> Pseudonym:
    return Pseudonym(f"Erased debtor {debtor_id}", f"erased-{debtor_id}@{ERASED_DOMAIN}")


def scrub_text(text: str, personal: tuple[str, ...], pseudonym: Pseudonym) -> str:
    """`text` with every e-mail address and every one of the `personal` strings (names, address lines)
    replaced by the pseudonym; case-insensitive, longest first so a full name goes before a part of it."""
    text = _EMAIL.sub(pseudonym.email, text)
    for value in sorted({p for p in personal if p and len(p.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(value.strip()), pseudonym.name, text, flags=re.IGNORECASE)
    return text


def scrub(value: Any, personal: tuple[str, ...], pseudonym: Pseudonym, key: str | None = None) -> Any:
    """A recorded fact (JSON: dicts, lists, strings, numbers) without personal data: free-text fields become
    "[erased]", other strings lose addresses and names; numbers, dates and amounts stay as they were."""
    if isinstance(value, dict):
        return {k: scrub(v, personal, pseudonym, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, personal, pseudonym, key) for v in value]
    if isinstance(value, str):
        if key in FREE_TEXT_KEYS and value:
            return ERASED
        return scrub_text(value, personal, pseudonym)
    return value


def personal_strings(*values: str | None) -> tuple[str, ...]:
    """The strings to look for: each value, and each line of multi-line ones (a postal address)."""
    found: list[str] = []
    for value in values:
        if value:
            found.append(value)
            found += [line.strip() for line in value.splitlines() if line.strip()]
    return tuple(found)
