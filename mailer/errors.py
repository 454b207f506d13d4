"""Delivery errors, sorted by who must act: transient ones are retried, permanent ones go to a person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DeliveryError",
    "TransientDeliveryError",
    "PermanentDeliveryError",
    "SenderConfigurationError",
    "Refusal",
]


@dataclass(frozen=True)
class Refusal:
    """One recipient the server refused at RCPT TO, with its reply (4xx: for now, 5xx: for good)."""

    recipient: str
    code: int
    message: str

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


class DeliveryError(Exception):
    """Base class of every failure to hand a message to the transport."""

    # Filled where the server answered per recipient; a retry must skip `accepted` and may skip the
    # permanently refused. `queue_id`: the server's id of the copy it did take (partial acceptance).
    accepted: list[str]
    refusals: list[Refusal]
    queue_id: str | None = None


class TransientDeliveryError(DeliveryError):
    """Try again later: SMTP 4xx, a dropped or refused connection, a timeout.

    `maybe_delivered`: the connection broke after the message data was sent, before the server's final reply,
    so the server may have taken it; look for proof before sending again.
    """

    def __init__(self, message: str, code: int | None = None, accepted: Sequence[str] = (),
                 refusals: Sequence[Refusal] = (), *, maybe_delivered: bool = False,
                 queue_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Recipients the server did accept in the same transaction: a retry would send to them twice.
        self.accepted = list(accepted)
        self.refusals = list(refusals)
        self.maybe_delivered = maybe_delivered
        self.queue_id = queue_id


class PermanentDeliveryError(DeliveryError):
    """The server refused for good (SMTP 5xx); `recipients` are the addresses that failed."""

    def __init__(
        self, recipients: Sequence[str], code: int | None, message: str, accepted: Sequence[str] = (),
        refusals: Sequence[Refusal] = (), *, queue_id: str | None = None,
    ) -> None:
        super().__init__(f"{code} {message} ({', '.join(recipients)})")
        self.recipients = list(recipients)
        self.code = code
        self.message = message
        self.accepted = list(accepted)
        self.refusals = list(refusals)
        self.queue_id = queue_id


class SenderConfigurationError(DeliveryError):
    """The transport itself is misconfigured (wrong password, TLS mode the server lacks): fix the settings."""
