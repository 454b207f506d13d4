"""Delivery errors, sorted by who must act: transient ones are retried, permanent ones go to a person."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["DeliveryError", "TransientDeliveryError", "PermanentDeliveryError", "SenderConfigurationError"]


class DeliveryError(Exception):
    """Base class of every failure to hand a message to the transport."""


class TransientDeliveryError(DeliveryError):
    """Try again later: SMTP 4xx, a dropped or refused connection, a timeout."""

    def __init__(self, message: str, code: int | None = None, accepted: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Recipients the server did accept in the same transaction: a retry would send to them twice.
        self.accepted = list(accepted)


class PermanentDeliveryError(DeliveryError):
    """The server refused for good (SMTP 5xx); `recipients` are the addresses that failed."""

    def __init__(
        self, recipients: Sequence[str], code: int | None, message: str, accepted: Sequence[str] = ()
    ) -> None:
        super().__init__(f"{code} {message} ({', '.join(recipients)})")
        self.recipients = list(recipients)
        self.code = code
        self.message = message
        self.accepted = list(accepted)


class SenderConfigurationError(DeliveryError):
    """The transport itself is misconfigured (wrong password, TLS mode the server lacks): fix the settings."""
