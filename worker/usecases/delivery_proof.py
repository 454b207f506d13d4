"""Proof before resend: find a message that may already have gone out by its Message-ID in our own mailbox."""


from mailer.errors import TransientDeliveryError
from mailer.sent_copies import SentCopies
from worker.logs import get_logger

log = get_logger(__name__)


def look_for_copy(copies: SentCopies | None, message_id: str) -> str | None:
    """The folder holding a copy of the message (Sent, INBOX, ...), or None when none holds one.

    A mailbox that cannot be searched defers the send: without an answer a resend might duplicate the letter.
    """
    if copies is None:
        return None
    try:
        return copies.find(message_id)
    except Exception as exc:  # any mailbox failure: we do not know, so we do not send
        log.warning("delivery_proof_unavailable", message_id=message_id, error=type(exc).__name__)
        raise TransientDeliveryError(f"cannot look for a copy of {message_id} before resending: {exc}") from exc


def keep_copy(copies: SentCopies | None, raw: bytes, message_id: str) -> None:
    """File the sent message in Sent; a failure is logged, not fatal: the server already has the message."""
    if copies is None:
        return
    try:
        copies.append(raw)
    except Exception as exc:  # the letter is out; a missing copy only weakens a later proof
        log.warning("sent_copy_not_kept", message_id=message_id, error=type(exc).__name__)
