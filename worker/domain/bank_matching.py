"""Which open invoice(s) a bank credit pays: exact rules in a fixed order; anything doubtful goes to review.

Order: the structured payment reference (RF/OGM) on the invoice; the invoice number in the remittance text
(tolerant of spaces, dashes and leading words); the exact open amount from a payer we can name (IBAN or name
learned from earlier matches, or the debtor's name); all open invoices of that payer together. A credit that
two rules, or two invoices, could explain is never guessed: it goes to review with the candidates.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
MAX_WINDOW = 4  # an invoice number may be written in up to four pieces: "F - 2027 - 002"
_WORD = re.compile(r"[0-9A-Za-z]+")
_RF_OF_NUMBER = re.compile(r"RF\d{2}[0-9A-Z]{3,21}")
_LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "bvba", "srl", "sa", "gmbh", "ltd", "inc", "eenmanszaak"})


@dataclass(frozen=True)
class Credit:
    """Money received, as the statement line shows it."""

    amount: Decimal
    currency: str
    reference: str | None = None  # structured reference (compact RF or OGM)
    remittance: str = ""
    payer_name: str | None = None
    payer_iban: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An invoice of the business a credit could pay; a settled one has `open_amount` zero."""

    id: int
    number: str
    debtor_id: int
    open_amount: Decimal
    currency: str
    references: frozenset[str] = frozenset()  # compact structured references that name this invoice
    due_date: date | None = None


@dataclass(frozen=True)
class Allocation:
    invoice_id: int
    amount: Decimal


@dataclass(frozen=True)
class Match:
    """Book these amounts; `surplus` (beyond what was open) is booked on the last invoice as the payer's credit."""

    rule: str  # reference | invoice_number | amount_and_payer | payer_total
    allocations: tuple[Allocation, ...]
    surplus: Decimal = ZERO


@dataclass(frozen=True)
class Review:
    """A person decides; `candidates` are the invoices the credit might be for."""

    reason: str
    candidates: tuple[int, ...] = ()


def number_key(text: str) -> str:
    """An invoice number as compared: letters and digits only, upper case ("F-2027 002" → "F2027002")."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def name_key(name: str | None) -> str | None:
    """A payer's name as compared: lower case words without punctuation and legal forms ("Klant B.V." → "klant")."""
    if not name:
        return None
    words = [w for w in _WORD.findall(name.replace(".", "").lower()) if w not in _LEGAL_FORMS]
    return " ".join(words) or None


def _usable(key: str) -> bool:
    """Short keys ("7", "F1") appear by chance in any text; only longer ones identify an invoice."""
    return len(key) >= 4 if key.isdigit() else len(key) >= 3


def _keys_in(text: str) -> set[str]:
    """Every way an invoice number could be written in the text: runs of up to four adjacent words joined,
    also without the leading letters of the first word ("Nr2027002", "factuur2027-002")."""
    words = [w.upper() for w in _WORD.findall(text)]
    # Our own RF references carry the invoice number after the check digits ("RF65F2027002"): a payment for a
    # grouped letter lists several of them in its description.
    keys = {w[4:] for w in words if _RF_OF_NUMBER.fullmatch(w)}
    for i in range(len(words)):
        joined = ""
        for word in words[i:i + MAX_WINDOW]:
            joined += word
            keys.add(joined)
            stripped = joined.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if stripped and stripped != joined:
                keys.add(stripped)
    return {k for k in keys if _usable(k)}


@dataclass
class Matcher:
    """The business's invoices indexed once; `settle` keeps open amounts current while a statement is booked."""

    invoices: Iterable[Candidate]
    payer_ibans: Mapping[str, int] = field(default_factory=dict)  # IBAN → debtor, learned from earlier matches
    payer_names: Mapping[str, set[int]] = field(default_factory=dict)  # name_key → debtors

    def __post_init__(self) -> None:
        self._by_id: dict[int, Candidate] = {}
        self._open: dict[int, Decimal] = {}
        self._by_ref: dict[str, list[int]] = defaultdict(list)
        self._by_number: dict[str, list[int]] = defaultdict(list)
        self._by_debtor: dict[int, list[int]] = defaultdict(list)
        for inv in self.invoices:
            self._by_id[inv.id] = inv
            self._open[inv.id] = inv.open_amount
            for ref in inv.references:
                self._by_ref[ref].append(inv.id)
            key = number_key(inv.number)
            if _usable(key):
                self._by_number[key].append(inv.id)
            self._by_debtor[inv.debtor_id].append(inv.id)

    def settle(self, allocations: Iterable[Allocation]) -> None:
        """Lower the open amounts after a booking, so the next line of the statement sees them."""
        for a in allocations:
            self._open[a.invoice_id] = max(ZERO, self._open[a.invoice_id] - a.amount)

    def learn(self, iban: str | None, name: str | None, debtor_id: int) -> None:
        """Remember who paid, so a later credit without reference can be tied to the payer."""
        if iban:
            self.payer_ibans = {**self.payer_ibans, iban: debtor_id}
        key = name_key(name)
        if key:
            self.payer_names = {**self.payer_names, key: {*self.payer_names.get(key, set()), debtor_id}}

    def match(self, credit: Credit) -> Match | Review:
        """Decide which invoices the credit pays, or why a person must."""
        if credit.reference and credit.reference in self._by_ref:
            return self._pay_named(credit, self._by_ref[credit.reference], "reference")
        numbers = sorted({i for key in _keys_in(credit.remittance) for i in self._by_number.get(key, ())})
        if numbers:
            return self._pay_named(credit, numbers, "invoice_number")
        return self._pay_by_payer(credit)

    def _pay_named(self, credit: Credit, ids: list[int], rule: str) -> Match | Review:
        invoices = [self._by_id[i] for i in ids]
        what = "payment reference" if rule == "reference" else "invoice number in the description"
        if len({inv.debtor_id for inv in invoices}) > 1:
            return Review(f"the {what} names invoices of different customers "
                          f"({', '.join(i.number for i in invoices)}); assign the credit by hand", tuple(ids))
        payers = self._payers(credit) if rule == "invoice_number" else set()
        if payers and not payers & {inv.debtor_id for inv in invoices}:
            # A mistyped number can be another customer's invoice: the payer we know says it is not theirs.
            # (An RF reference has check digits, so a parent company paying its subsidiary's invoice by it is fine.)
            return Review(f"the {what} names invoice {', '.join(i.number for i in invoices)} of another customer "
                          "than the one who paid; assign the credit by hand", tuple(ids))
        if any(inv.currency != credit.currency for inv in invoices):
            return Review(f"the credit is in {credit.currency}, the invoice in another currency; assign it by "
                          "hand", tuple(ids))
        open_ = [inv for inv in invoices if self._open[inv.id] > 0]
        if not open_:
            return Review(f"invoice {', '.join(i.number for i in invoices)} is already paid; a second payment? "
                          "Assign it to another invoice or mark it not ours (to refund)", tuple(ids))
        if len(open_) == 1:
            inv = open_[0]
            paid = min(credit.amount, self._open[inv.id])
            return Match(rule, (Allocation(inv.id, paid),), surplus=credit.amount - paid)
        total = sum((self._open[i.id] for i in open_), ZERO)
        if credit.amount > total:
            return Review(f"the credit is more than the {len(open_)} invoices it names together "
                          f"({total}); assign it by hand", tuple(i.id for i in open_))
        return Match(rule, self._oldest_first(open_, credit.amount))

    def _oldest_first(self, invoices: list[Candidate], amount: Decimal) -> tuple[Allocation, ...]:
        """Several invoices in one payment: the oldest due is paid first, a shortfall stays on the newest."""
        allocations, left = [], amount
        for inv in sorted(invoices, key=lambda i: (i.due_date or date.max, i.id)):
            paid = min(left, self._open[inv.id])
            if paid > 0:
                allocations.append(Allocation(inv.id, paid))
            left -= paid
        return tuple(allocations)

    def _payers(self, credit: Credit) -> set[int]:
        if credit.payer_iban and credit.payer_iban in self.payer_ibans:
            return {self.payer_ibans[credit.payer_iban]}
        key = name_key(credit.payer_name)
        found = self.payer_names.get(key, set()) if key else set()
        return set(found) if len(found) == 1 else set()  # a name shared by two customers names neither

    def _pay_by_payer(self, credit: Credit) -> Match | Review:
        same_amount = [i for i, amount in self._open.items() if amount == credit.amount
                       and self._by_id[i].currency == credit.currency]
        payers = self._payers(credit)
        if not payers:
            return Review("no payment reference, invoice number or known payer on this credit; assign it to an "
                          "invoice or mark it not ours", tuple(sorted(same_amount))[:10])
        (debtor,) = payers
        own = [i for i in self._by_debtor[debtor] if self._open[i] > 0]
        exact = [i for i in own if self._open[i] == credit.amount and self._by_id[i].currency == credit.currency]
        if len(exact) == 1:
            return Match("amount_and_payer", (Allocation(exact[0], credit.amount),))
        if len(exact) > 1:
            return Review(f"{len(exact)} open invoices of this customer have exactly this amount; assign the credit "
                          "to one of them", tuple(sorted(exact)))
        total = sum((self._open[i] for i in own), ZERO)
        if own and total == credit.amount and all(self._by_id[i].currency == credit.currency for i in own):
            return Match("payer_total", tuple(Allocation(i, self._open[i]) for i in sorted(own)))
        return Review("the payer is a known customer, but the amount fits none of their open invoices; assign "
                      "the credit by hand", tuple(sorted(own))[:10])
