"""Reply tokens carried in plus-addressed Reply-To addresses (`invoices+TOKEN@example.com`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import getaddresses

__all__ = ["reply_address", "tokens_in"]

# Letters, digits, '-' and '_' survive every MTA we know; tokens are case-insensitive because some
# servers and clients lower-case the local part, so we always hand them out and read them back in lower case.
_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SEPARATOR = "+"


def reply_address(mailbox_address: str, token: str) -> str:
    """`invoices@example.com` + `tok` -> `invoices+tok@example.com` (any existing +tag replaced)."""
    local, at, domain = mailbox_address.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an e-mail address: {mailbox_address!r}")
    token = token.strip().lower()
    if not _TOKEN.match(token):
        raise ValueError(f"reply token may only use letters, digits, '-' and '_': {token!r}")
    base = local.split(_SEPARATOR, 1)[0]
    return f"{base}{_SEPARATOR}{token}@{domain}"


def tokens_in(addresses: Iterable[str], mailbox_address: str | None = None) -> list[str]:
    """Tokens found in the plus-tags of the addresses, in order, without duplicates (lower case).

    With `mailbox_address` only addresses of that mailbox count, so a debtor's own `name+tag@` is ignored.
    """
    base_local = base_domain = None
    if mailbox_address:
        local, _, base_domain = mailbox_address.strip().lower().rpartition("@")
        base_local = local.split(_SEPARATOR, 1)[0]
    found: list[str] = []
    for _, addr in getaddresses([a for a in addresses if a]):
        local, at, domain = addr.strip().lower().rpartition("@")
        if not at or _SEPARATOR not in local:
            continue
        base, token = local.split(_SEPARATOR, 1)
        if base_local is not None and (base != base_local or domain != base_domain):
            continue
        if _TOKEN.match(token) and token not in found:
            found.append(token)
    return found
