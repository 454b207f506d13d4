"""Invoice statuses and which of them still allow reminders."""

from enum import StrEnum


class InvoiceStatus(StrEnum):
    """Where an invoice stands; only OPEN invoices move along the ladder."""

    OPEN = "open"  # on the ladder
    PAUSED = "paused"  # a human replied; a person decides what happens next
    DISPUTED = "disputed"  # stopped for this invoice until the dispute is resolved
    PAID = "paid"
    CREDITED = "credited"
    WRITTEN_OFF = "written_off"  # given up; never another message
    REVIEW = "review"  # the parser was unsure or the invoice is defective: never dunned on a guess
    HANDED_OFF = "handed_off"  # the ladder is exhausted; a person (or agency) takes over


TERMINAL = frozenset({InvoiceStatus.PAID, InvoiceStatus.CREDITED, InvoiceStatus.WRITTEN_OFF})
