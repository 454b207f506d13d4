"""One rung of a dunning ladder as data: when, which letter, how, to whom and in what tone."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Channel = Literal["email", "letter"]  # letter: a PDF to print and post, for debtors who are rarely online
# How urgent the step sounds. Not the letter's register (formal / informal / plain in letter_templates):
# that is the debtor's preference, chosen by the caller; the step's tone is how far the ladder has come.
Tone = Literal["friendly", "neutral", "firm", "stern"]
Anchor = Literal["due", "issue", "previous"]


@dataclass(frozen=True)
class Step:
    """A step is due `offset_days` after its anchor.

    Anchors: `due` (the invoice's due date), `issue` (the invoice date: checks after sending), or
    `previous` (the day the previous step went out, or the end of its deadline if it stated one).
    `template` None means no letter: the invoice is handed to a person.
    """

    name: str
    offset_days: int
    template: str | None
    to_general_address: bool = False  # the general address with the contact in CC
    channel: Channel = "email"
    tone: Tone = "neutral"
    anchor: Anchor = "due"
    deadline_days: int | None = None  # the letter gives the debtor this many days
    statutory_term: bool = False  # the letter is a 14-day letter: its term follows the law of the country
    claims: bool = False  # the letter claims the interest and costs earlier letters announced (where due)

    @property
    def recipients(self) -> str:
        return "general_with_contact_cc" if self.to_general_address else "contact"

    @property
    def before_due(self) -> bool:
        """Meant for before the due date (an arrival check, a courtesy note): pointless once it has passed."""
        return self.anchor == "issue" or (self.anchor == "due" and self.offset_days < 0)

    @property
    def has_deadline(self) -> bool:
        return self.statutory_term or self.deadline_days is not None


@dataclass(frozen=True)
class SentStep:
    """A step that went out for this invoice, and when."""

    name: str
    at: datetime
