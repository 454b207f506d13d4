"""A letter's payment details completed before rendering: amount to ask for, link from a pattern, QR payload."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from letter_templates.epc import epc_payload

LINK_FIELDS = ("reference", "amount", "currency", "invoice", "iban")


def expand_link(pattern: str, values: dict[str, Any]) -> str:
    """`https://pay.example/{reference}?amount={amount}` with URL-quoted values; ValueError names a bad field.

    Only the plain fields in LINK_FIELDS are allowed: a pattern is business configuration, and attribute or
    index access ({reference.__class__}) would reach into Python objects.
    """
    for _, field, spec, conversion in string.Formatter().parse(pattern):
        if field is None:
            continue
        if field not in LINK_FIELDS or spec or conversion:
            raise ValueError(f"payment link pattern: {{{field}}} is not allowed; use "
                             + ", ".join(f"{{{f}}}" for f in LINK_FIELDS))
    return pattern.format_map({k: quote(str(values.get(k) or ""), safe="") for k in LINK_FIELDS})


def complete_payment(context: dict[str, Any]) -> dict[str, Any]:
    """Copy of `context` whose `payment` has `amount` (default total_open), `link` (from `link_pattern` when
    there is no link) and `bic`; `qr` starts empty (the renderer makes the image)."""
    if not isinstance(context.get("payment"), dict):
        return context  # nothing to complete; a template using payment is told it is missing
    payment = dict(context["payment"])
    if payment.get("amount") is None:
        payment["amount"] = context.get("total_open")
    if not payment.get("link") and payment.get("link_pattern"):
        invoices = context.get("invoices") or []
        payment["link"] = expand_link(payment["link_pattern"], {
            "reference": payment.get("reference"), "amount": payment["amount"],
            "currency": context.get("currency"), "iban": payment.get("iban"),
            "invoice": invoices[0].get("number") if invoices else None,
        })
    payment.setdefault("link", None)
    payment.setdefault("bic", None)
    payment["qr"] = None
    return {**context, "payment": payment}


def qr_payload(context: dict[str, Any]) -> str | None:
    """The EPC payload for a completed context, or None when the letter cannot carry a SEPA QR code."""
    payment = context.get("payment") or {}
    business = context.get("business") or {}
    amount = payment.get("amount")
    return epc_payload(
        name=business.get("name") or "", iban=payment.get("iban") or "",
        amount=Decimal(str(amount)) if amount is not None else None, reference=payment.get("reference"),
        bic=payment.get("bic"), currency=context.get("currency") or "EUR",
    )
