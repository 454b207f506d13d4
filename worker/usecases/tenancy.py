"""Which business an inbound message belongs to, from what the receiving system and our own tokens prove.

`From:` is only a claim. A message is a business's own mail when it was delivered to that business's
secret ingest address, or when the trusted receiving MTA's Authentication-Results prove the sender domain
(DMARC, or DKIM aligned with it) of a sender the business lists. A debtor's message is tied to a business
only by a reply token we minted or by a reference to one of our own messages; nothing else ties it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.authentication import sender_proof
from mailer.message import InboundMessage as ParsedMail
from mailer.reply_token import tokens_in
from worker.db.models import Business, Invoice, OutboundMessage
from worker.usecases.businesses import sender_is_allowed
from worker.usecases.quarantine import Quarantined

_MESSAGE_ID = re.compile(rb"<([^<>\s@]{1,250}@[^<>\s@]{1,250})>")
# The kind of a quarantined message that claimed a business's sender without proof (summarised daily).
UNPROVEN_KIND = "unproven"
_MAX_REFERENCES = 200
_SCANNED_BYTES = 256 * 1024  # a forwarded thread must not become a giant IN (...) query


class Unproven(Quarantined):
    """Mail claiming a business's sender without proof: quarantined for that business, never acted on."""


@dataclass(frozen=True)
class OwnMail:
    """The business's own mail (its invoices), proven by `proof`."""

    business: Business
    proof: str


@dataclass(frozen=True)
class DebtorMail:
    """Mail from outside, tied to one business by `rule` (reply token or reference to our own message).

    `references` are the Message-IDs it refers to, kept for matching inside the business.
    """

    business: Business
    rule: str
    references: tuple[str, ...] = ()


def _lower(addresses: list[str]) -> set[str]:
    return {a.strip().lower() for a in addresses if a and a.strip()}


def _one(businesses: dict[int, Business], what: str) -> Business | None:
    if len(businesses) > 1:
        names = ", ".join(sorted(b.name for b in businesses.values()))
        raise Quarantined(f"{what} of {len(businesses)} businesses ({names}): a message belongs to one business only")
    return next(iter(businesses.values()), None)


def ingest_owner(session: Session, mail: ParsedMail) -> OwnMail | None:
    """The business whose secret ingest address the message was delivered to (envelope or visible recipient).

    Knowing the address is the proof, wherever the receiving system wrote it. Mail to a rotated-out address
    raises `Unproven`: the old address may have leaked.
    """
    recipients = _lower([*mail.delivered_to, *mail.to, *mail.cc])
    if not recipients:
        return None
    found = {b.id: b for b in session.scalars(select(Business).where(Business.ingest_address.in_(recipients)))}
    business = _one(found, "addressed to the ingest addresses")
    if business is not None:
        return OwnMail(business, f"delivered to the ingest address of {business.name}")
    for other in session.scalars(select(Business)):
        if recipients & set(other.retired_ingest_addresses or ()):
            raise Unproven(f"sent to a retired ingest address of {other.name}; the business now uses a new one, "
                           "so this message proves nothing about its origin: nothing was dunned", other.id)
    return None


def claimed_owner(session: Session, mail: ParsedMail, authserv_id: str | None) -> OwnMail | None:
    """The business whose sender list has the From address, when the trusted MTA proved that sender's domain.

    None when no business lists the sender; `Unproven` when one does but nothing proves it.
    """
    claimed = {b.id: b for b in session.scalars(select(Business)) if sender_is_allowed(b, mail.from_address)}
    business = _one(claimed, f"From {mail.from_address} is on the sender lists")
    if business is None:
        return None
    proof = sender_proof(mail.headers.get("authentication-results", []), authserv_id, mail.from_address)
    if not proof.proven:
        raise Unproven(f"{proof.reason}. The message claims to come from {mail.from_address}, a sender of "
                       f"{business.name}, and was not sent to its ingest address: nothing was dunned", business.id)
    return OwnMail(business, proof.reason)


def our_references(raw: bytes, mail: ParsedMail) -> list[str]:
    """Message-IDs this message refers to: In-Reply-To, References, and those quoted in a returned original."""
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    # A delivery report returns our original's headers in its body; the start of the message is enough.
    ids += ["<" + m.decode("ascii", "replace") + ">" for m in _MESSAGE_ID.findall(raw[:_SCANNED_BYTES])]
    return list(dict.fromkeys(ids))[:_MAX_REFERENCES]


def _replied_by_recipient(outbound: OutboundMessage, sender: str | None, *, bounce: bool) -> bool:
    """A reference ties only when the sender is who we wrote to (or his colleague), or it is a delivery report.

    Our Message-IDs are deterministic, so knowing one proves little on its own.
    """
    if bounce:
        return True
    sender_domain = (sender or "").lower().rpartition("@")[2]
    written_to = _lower([*outbound.to_addresses, *outbound.cc_addresses])
    return bool(sender_domain) and any(a.rpartition("@")[2] == sender_domain for a in written_to)


def debtor_mail_tie(session: Session, raw: bytes, mail: ParsedMail, service_address: str, *,
                    bounce: bool) -> DebtorMail | None:
    """The one business a debtor's message is tied to; None when nothing ties it, Quarantined when several do."""
    tied: dict[int, tuple[Business, str]] = {}
    tokens = tokens_in([*mail.delivered_to, *mail.to, *mail.cc], service_address)
    if tokens:
        for invoice in session.scalars(select(Invoice).where(Invoice.reply_token.in_(tokens))):
            tied.setdefault(invoice.business_id, (session.get_one(Business, invoice.business_id), "reply_token"))
    references = our_references(raw, mail)
    if references:
        for outbound in session.scalars(select(OutboundMessage).where(OutboundMessage.message_id.in_(references))):
            if _replied_by_recipient(outbound, mail.from_address, bounce=bounce):
                tied.setdefault(outbound.business_id,
                                (session.get_one(Business, outbound.business_id), "in_reply_to"))
    business = _one({k: v[0] for k, v in tied.items()}, "tied by reply tokens and references to messages")
    return None if business is None else DebtorMail(business, tied[business.id][1], tuple(references))
