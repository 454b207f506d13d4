"""The hand-off dossier's summary, in one pure place: what a collection agency or bailiff reads, and the claim.

The claim is `claim_for` (worker.domain.law.claim) for the debtor's country as of the dossier's day, with the
letters' own rule that costs are claimed (later steps); its interest and WIK figures are the ones
`dunning interest AMOUNT --from DUE+1 --to DAY` and `dunning collection-costs AMOUNT` print for the open principal.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from worker.domain.law.claim import Claim, DebtorLaw, Principal, claim_for

_INTEREST_NAMES = {"nl_consumer": "statutory interest (art. 6:119 BW)",
                   "nl_commercial": "commercial interest (art. 6:119a BW)",
                   "be_legal": "legal interest (Belgium)", "be_commercial": "commercial interest (Belgium, Wet 2 "
                   "augustus 2002)"}
_COSTS_NAMES = {"wik": "extrajudicial collection costs (WIK staffel, art. 6:96 BW)",
                "compensation": "fixed compensation (EUR 40 per invoice)",
                "be_damages": "flat-rate damages (Book XIX CEL)"}


@dataclass(frozen=True)
class Party:
    name: str
    email: str | None = None
    address: str | None = None
    extra: tuple[str, ...] = ()  # IBAN, contact person, consumer or company, country


@dataclass(frozen=True)
class Letter:
    """One reminder or other message we sent (or recorded) about the invoice."""

    on: datetime
    step: str
    channel: str
    status: str
    to: tuple[str, ...]


@dataclass(frozen=True)
class Happening:
    """A reply, promise, note or call on the timeline, as one line."""

    on: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class PaymentLine:
    paid_on: date
    kind: str  # payment | reversal
    amount: Decimal
    source: str


@dataclass(frozen=True)
class DossierFacts:
    """Everything the summary states, read from the rows up to `as_of`."""

    as_of: datetime
    creditor: Party
    debtor: Party
    number: str
    issue_date: date | None
    due_date: date
    currency: str
    amount_due: Decimal
    paid: Decimal
    status: str
    law: DebtorLaw
    term_last_day: date | None  # the consumer's 14-day term (its letter went out), else None
    letters: tuple[Letter, ...] = ()
    happenings: tuple[Happening, ...] = ()
    payments: tuple[PaymentLine, ...] = ()
    documents: tuple[str, ...] = ()  # the ZIP's other members, listed in the summary


def dossier_claim(facts: DossierFacts) -> Claim:
    """The claim on the dossier's day, computed exactly as a letter that claims costs computes it."""
    principal = Principal(facts.amount_due, facts.paid, facts.due_date)
    return claim_for(facts.law, [principal], facts.as_of.date(), claims_now=True, term_last_day=facts.term_last_day)


def _money(currency: str, amount: Decimal) -> str:
    return f"{currency} {amount:.2f}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


Section = tuple[str, list[str]]


def summary(facts: DossierFacts) -> list[Section]:
    """The summary as titled sections of plain lines (the PDF adapter only lays them out)."""
    claim = dossier_claim(facts)
    money = lambda amount: _money(facts.currency, amount)  # noqa: E731
    open_principal = facts.amount_due - facts.paid
    sections: list[Section] = [
        ("Parties", [f"Creditor: {facts.creditor.name}", *_party_lines(facts.creditor),
                     f"Debtor: {facts.debtor.name}", *_party_lines(facts.debtor)]),
        ("Invoice", [f"Invoice number: {facts.number}",
                     f"Invoice date: {facts.issue_date.isoformat() if facts.issue_date else 'unknown'}",
                     f"Due date: {facts.due_date.isoformat()}",
                     f"Amount of the invoice: {money(facts.amount_due)}",
                     f"Paid so far: {money(facts.paid)}",
                     f"Status: {facts.status}"]),
        ("Reminders and other letters sent", [
            f"{_when(x.on)} - {x.step} - channel: {x.channel} - {x.status}"
            + (f" - to {', '.join(x.to)}" if x.to else "") for x in facts.letters] or ["none"]),
        ("Replies, promises, notes and calls", [f"{_when(h.on)} - {h.kind}: {h.text}" for h in facts.happenings]
         or ["none"]),
        ("Payments", [f"{p.paid_on.isoformat()} - {p.kind} - {money(p.amount)} ({p.source})" for p in facts.payments]
         or ["none"]),
        ("Claim", _claim_lines(facts, claim, open_principal, money)),
        ("Documents in this dossier", list(facts.documents) or ["summary only"]),
    ]
    return sections


def _party_lines(party: Party) -> list[str]:
    lines = [f"  e-mail: {party.email}"] if party.email else []
    lines += [f"  {line}" for line in (party.address or "").splitlines() if line.strip()]
    return lines + [f"  {line}" for line in party.extra]


def _claim_lines(facts: DossierFacts, claim: Claim, open_principal: Decimal, money) -> list[str]:  # type: ignore[no-untyped-def]
    law = claim.law
    day = facts.as_of.date().isoformat()
    lines = [f"Computed on {day} under {law.country} law for a {'consumer' if law.consumer else 'business'} "
             "debtor."]
    if not law.charges:
        return [*lines, "The creditor charges no interest and no costs.",
                f"Principal: {money(open_principal)}", f"Total claim: {money(claim.total)}"]
    lines.append(f"Principal: {money(open_principal)} (the invoice's {money(facts.amount_due)} less payments)")
    interest_name = _INTEREST_NAMES.get(claim.interest_kind or "", "interest")
    lines.append(f"Interest: {money(claim.interest)} - {interest_name} on the principal, from "
                 f"{(facts.due_date + timedelta(days=1)).isoformat()} to {day}"
                 + (f", current rate {claim.interest_rate.normalize():f}%" if claim.interest_rate is not None else ""))
    costs_name = _COSTS_NAMES.get(claim.costs_kind or "", "collection costs")
    lines.append(f"Collection costs: {money(claim.costs)} - {costs_name}")
    if claim.costs_due:
        lines.append(f"Costs and interest are chargeable (since {claim.costs_from.isoformat()})."  # type: ignore[union-attr]
                     if claim.costs_from else "Costs and interest are chargeable.")
    elif law.consumer and facts.term_last_day is None:
        lines.append("Not chargeable yet: no 14-day letter (veertiendagenbrief) has gone out to this consumer.")
    elif claim.costs_from is not None:
        lines.append(f"Not chargeable before {claim.costs_from.isoformat()}.")
    received = claim.received
    lines.append(f"Payments received: {money(facts.paid)}, allocated per art. 6:44 BW (costs, then interest, then "
                 f"principal): costs {money(received.to_costs)}, interest {money(received.to_interest)}, "
                 f"principal {money(received.to_principal)}")
    lines.append(f"Still open: costs {money(received.costs_left)}, interest {money(received.interest_left)}, "
                 f"principal {money(received.principal_left)}")
    lines.append(f"Total claim: {money(claim.total)}")
    return lines
