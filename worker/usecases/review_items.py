"""What each review-queue item is, why it is there and which actions apply, in words a finance clerk acts on."""

from dataclasses import dataclass
from typing import Any

from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus


@dataclass(frozen=True)
class Described:
    item: str
    why: str
    actions: tuple[str, ...]


def invoice_item(status: str, reason: str | None, number: str) -> Described:
    """A held, paused, disputed or handed-off invoice."""
    if status == InvoiceStatus.REVIEW.value:
        return Described("held_invoice", reason or f"invoice {number} was not read with certainty; check its "
                         "number, amount, due date and debtor before any reminder goes out", ("release",))
    if status == InvoiceStatus.PAUSED.value:
        return Described("paused_invoice", reason or f"the customer replied about invoice {number}; read the "
                         "reply and decide", ("resume", "decide_reply"))
    if status == InvoiceStatus.DISPUTED.value:
        return Described("disputed_invoice", reason or f"invoice {number} is disputed; resolve the dispute, then "
                         "resume", ("resume",))
    return Described("handed_off_invoice", reason or f"the ladder of invoice {number} has ended; hand it to a "
                     "collection agency or settle it", ())


def message_item(status: str, reason: str | None) -> Described:
    """A quarantined (or, after our own failures, failed) inbound message of the business."""
    if status == "failed":
        return Described("failed_message", reason.split("\n")[0] if reason else "our service failed on this "
                         "message; assign it to its invoice or mark it not ours", ("assign", "not_ours"))
    return Described("quarantined_message", reason or "this message could not be tied to an invoice",
                     ("assign", "not_ours"))


_NOTICES = {
    EventKind.PAYMENT_REPORTED.value: ("reported_payment", "the customer says it paid{amount}; check the bank and "
                                       "confirm (the money is booked) or reject", ("confirm", "reject", "dismiss")),
    EventKind.REMITTANCE_NEEDS_REVIEW.value: ("remittance_to_check", "a remittance advice has lines no invoice "
                                              "matched: {lines}", ("dismiss",)),
    EventKind.GENERAL_ADDRESS_MISSING.value: ("general_address_missing", "the contact cannot be reached and the "
                                              "debtor has no general address: add one (PUT /debtors/{{id}})",
                                              ("dismiss",)),
    EventKind.DELIVERY_FAILED.value: ("delivery_failed", "a message could not be delivered: {reason}", ("dismiss",)),
    EventKind.LETTER_FAILED.value: ("letter_failed", "a letter could not be made: {reason}", ("dismiss",)),
    EventKind.BOUNCE_RECEIVED.value: ("bounce_received", "a message bounced{recipients}", ("dismiss",)),
}


def notice_item(kind: str, data: dict[str, Any]) -> Described:
    """A notice on the timeline that needs a person (the review queue's NOTICE_KINDS)."""
    item, why, actions = _NOTICES.get(kind, (kind, "a notice for the business", ("dismiss",)))
    amount = f" EUR {data['amount']}" if data.get("amount") else ""
    failed = data.get("failed_recipients") or []
    return Described(item, why.format(
        amount=amount, lines=", ".join(str(x) for x in data.get("lines") or []) or "none could be read",
        reason=data.get("reason") or data.get("error") or "see the timeline",
        recipients=f" for {', '.join(failed)}" if failed else ""), actions)
