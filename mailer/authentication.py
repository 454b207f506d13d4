"""Whether the receiving MTA proved a message's sender domain (RFC 8601 Authentication-Results, DMARC/DKIM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import authres

__all__ = ["SenderProof", "sender_proof", "aligned"]


@dataclass(frozen=True)
class SenderProof:
    """The verdict for one message: `proven` only when a trusted result authenticates the From domain."""

    proven: bool
    domain: str | None  # the From domain the result speaks for
    reason: str  # in words a finance clerk can act on, e.g. "sender not authenticated: dmarc=fail"


def aligned(signing_domain: str, from_domain: str) -> bool:
    """Relaxed alignment as DMARC uses it, restricted to parent/child domains (never siblings or strangers)."""
    d, f = signing_domain.lower().strip("."), from_domain.lower().strip(".")
    return bool(d) and (d == f or f.endswith("." + d) or d.endswith("." + f)) and "." in d


def _trusted_header(values: Sequence[str], authserv_id: str) -> authres.AuthenticationResultsHeader | None:
    """The topmost header written by our receiving MTA; everything else is ignored (RFC 8601 section 5).

    The receiving MTA prepends its header, so a forged copy with the same authserv-id sits below it: taking
    the first one means a sender's own Authentication-Results can never speak for it.
    """
    for value in values:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(value)
        except Exception:  # noqa: BLE001 - an unparseable header proves nothing; look at the next one
            continue
        if str(header.authserv_id).lower() == authserv_id.lower():
            return header
    return None


def _property(result: authres.AuthenticationResult, ptype: str, name: str) -> str | None:
    for prop in result.properties:
        if prop.type == ptype and prop.name == name and prop.value:
            return str(prop.value).lower().lstrip("@").rpartition("@")[2]
    return None


def sender_proof(values: Sequence[str], authserv_id: str | None, from_address: str | None) -> SenderProof:
    """Read the Authentication-Results `values` (topmost first) the way a careful receiver does."""
    from_domain = (from_address or "").lower().rpartition("@")[2] or None
    if not authserv_id:
        return SenderProof(False, from_domain, "no proof of origin: DUNNING_AUTHSERV_ID is not set, so no "
                           "Authentication-Results header is trusted")
    if from_domain is None:
        return SenderProof(False, None, "no proof of origin: the message has no From address")
    header = _trusted_header(values, authserv_id)
    if header is None:
        return SenderProof(False, from_domain, f"no proof of origin: no Authentication-Results from {authserv_id}")
    dmarc = [r for r in header.results if r.method == "dmarc"]
    for result in dmarc:
        header_from = _property(result, "header", "from")
        if result.result == "pass" and (header_from is None or header_from == from_domain):
            return SenderProof(True, from_domain, f"dmarc=pass for {from_domain} ({authserv_id})")
    if dmarc:
        return SenderProof(False, from_domain, f"sender not authenticated: dmarc={dmarc[0].result}")
    dkim = [r for r in header.results if r.method == "dkim"]
    for result in dkim:
        signer = _property(result, "header", "d") or _property(result, "header", "i")
        if result.result == "pass" and signer and aligned(signer, from_domain):
            return SenderProof(True, from_domain, f"dkim=pass d={signer} ({authserv_id})")
    if dkim:
        seen = ", ".join(f"dkim={r.result} d={_property(r, 'header', 'd') or '?'}" for r in dkim)
        return SenderProof(False, from_domain, f"sender not authenticated: {seen} (not aligned with {from_domain})"
                           if any(r.result == "pass" for r in dkim) else f"sender not authenticated: {seen}")
    return SenderProof(False, from_domain, f"no proof of origin: {authserv_id} reports neither DMARC nor DKIM")
