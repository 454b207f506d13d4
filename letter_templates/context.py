"""The one builder of a letter's placeholder context: every field of the vocabulary, from plain data.

The worker (tick, previews, notices), `dunning letter render --sample` and the render-matrix test all build
contexts here, so a template that renders in a test renders in the tick. The callers decide (amounts,
deadlines, recipients); this module only lays the decisions out under the documented names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from letter_templates.wording_history import describe


@dataclass(frozen=True)
class Sender:
    """The business that sends the letter."""

    name: str
    email: str
    iban: str | None = None
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    bic: str | None = None
    link_pattern: str | None = None


@dataclass(frozen=True)
class Recipient:
    """The debtor as the letter addresses it."""

    name: str
    email: str | None = None
    contact_name: str | None = None
    general_email: str | None = None
    address: str | None = None
    consumer: bool = False
    country: str = "NL"


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    issue_date: date | None
    due_date: date | None
    amount: Decimal
    open_amount: Decimal
    currency: str = "EUR"
    paid: Decimal = Decimal("0")


@dataclass(frozen=True)
class Contact:
    """One entry of the dossier: `kind` is a history word (see wording_history), `who` an address or name."""

    on: date
    kind: str
    channel: str = "email"
    who: str | None = None
    detail: str | date | Decimal | None = None  # a date or amount is written in the letter's language


@dataclass(frozen=True)
class ClaimData:
    """What the law lets the business claim in this letter (decided by the worker's domain)."""

    country: str = "NL"
    consumer: bool = False
    charges: bool = False  # the business charges costs and interest at all
    interest_kind: str | None = None  # nl_consumer, nl_commercial, be_legal, be_commercial
    interest_rate: Decimal | None = None
    interest: Decimal = Decimal("0.00")
    costs: Decimal = Decimal("0.00")
    costs_kind: str | None = None  # wik, compensation, be_damages
    costs_due: bool = False  # the costs may be charged now (else: they are announced)
    costs_from: date | None = None
    total: Decimal = Decimal("0.00")  # principal, plus interest and costs when they are charged now


@dataclass(frozen=True)
class Received:
    """Part payments so far and how they were applied (art. 6:44 BW: costs, then interest, then principal)."""

    amount: Decimal = Decimal("0.00")
    on: date | None = None
    to_costs: Decimal = Decimal("0.00")
    to_interest: Decimal = Decimal("0.00")
    to_principal: Decimal = Decimal("0.00")
    remaining: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class LetterData:
    """This letter: step, date, our reference, pay-by date, channel and recipients."""

    step: str
    on: date
    reference: str
    deadline: date | None = None
    channel: str = "email"
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    copy: bool = False  # an e-mail copy of a letter that went by post


@dataclass(frozen=True)
class LetterInput:
    """Everything one letter is made of; `extra` carries letter-specific groups (plan, notice, document)."""

    sender: Sender
    recipient: Recipient
    letter: LetterData
    invoices: Sequence[InvoiceLine] = ()
    claim: ClaimData = ClaimData()
    received: Received = Received()
    history: Sequence[Contact] = ()
    promise_date: date | None = None
    promises: int = 0
    payment_amount: Decimal | None = None
    currency: str = "EUR"
    extra: dict[str, Any] = field(default_factory=dict)


def build_context(data: LetterInput, language: str) -> dict[str, Any]:
    """The documented placeholder context (letter_templates.vocabulary) for one letter in `language`."""
    total = sum((i.open_amount for i in data.invoices), Decimal("0"))
    reference = data.letter.reference
    sender, recipient, claim, received = data.sender, data.recipient, data.claim, data.received
    context: dict[str, Any] = {
        "business": {"name": sender.name, "email": sender.email, "address": sender.address, "iban": sender.iban,
                     "phone": sender.phone, "website": sender.website},
        "debtor": {"name": recipient.name, "contact_name": recipient.contact_name, "email": recipient.email,
                   "general_email": recipient.general_email, "address": recipient.address,
                   "consumer": recipient.consumer, "country": recipient.country},
        "invoices": [{"number": i.number, "issue_date": i.issue_date, "due_date": i.due_date, "amount": i.amount,
                      "open_amount": i.open_amount, "paid": i.paid, "currency": i.currency,
                      "days_overdue": max(0, (data.letter.on - i.due_date).days) if i.due_date else 0}
                     for i in data.invoices],
        "total_open": total,
        "currency": data.currency,
        "letter": {"date": data.letter.on, "step": data.letter.step, "reference": reference,
                   "deadline": data.letter.deadline, "channel": data.letter.channel,
                   "to": ", ".join(data.letter.to), "cc": ", ".join(data.letter.cc) or None,
                   "to_general": bool(data.letter.cc) and not recipient.consumer, "copy": data.letter.copy},
        "payment": {"iban": sender.iban, "reference": reference, "link": None, "bic": sender.bic,
                    "link_pattern": sender.link_pattern,
                    "amount": data.payment_amount if data.payment_amount is not None else total},
        "claim": {"country": claim.country, "consumer": claim.consumer, "charges": claim.charges,
                  "interest_kind": claim.interest_kind, "interest_rate": claim.interest_rate,
                  "interest": claim.interest, "costs": claim.costs, "costs_kind": claim.costs_kind,
                  "costs_due": claim.costs_due, "costs_from": claim.costs_from, "total": claim.total or total},
        # The 14-day letter's first vocabulary: kept so staff templates written for it still render.
        "costs": {"amount": claim.costs, "interest": claim.interest},
        "received": {"amount": received.amount, "date": received.on, "to_costs": received.to_costs,
                     "to_interest": received.to_interest, "to_principal": received.to_principal,
                     "remaining": received.remaining},
        "promise": {"date": data.promise_date, "count": data.promises},
        "history": [{"date": c.on, "channel": describe("channel." + c.channel, language),
                     "description": describe(c.kind, language, who=c.who, detail=c.detail)} for c in data.history],
    }
    context.update(data.extra)
    return context
