"""Outgoing transports: the `Sender` port, an SMTP sender (aiosmtplib) and a folder of `.eml` files."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import ssl
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

import aiosmtplib

from mailer.errors import (
    DeliveryError,
    PermanentDeliveryError,
    SenderConfigurationError,
    TransientDeliveryError,
)

__all__ = [
    "Sender",
    "SmtpSender",
    "FileSender",
    "DeliveryError",
    "TransientDeliveryError",
    "PermanentDeliveryError",
    "SenderConfigurationError",
]

Security = Literal["plain", "ssl", "starttls"]


class Sender(Protocol):
    async def send(self, message: EmailMessage, recipients: list[str]) -> None: ...


class SmtpSender:
    """Hands each message to one SMTP server; maps replies to transient / permanent / configuration errors."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        security: Security = "plain",
        envelope_from: str | None = None,
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in ("plain", "ssl", "starttls"):
            raise ValueError(f"unknown SMTP security {security!r}")
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.security = security
        # Bounces go to the envelope sender: set it to the service mailbox so DSNs come back to us.
        self.envelope_from = envelope_from
        self.timeout = timeout
        self.tls_context = tls_context

    def __repr__(self) -> str:  # never show the password
        return f"SmtpSender({self.host!r}, {self.port}, security={self.security!r}, user={self.username!r})"

    async def send(self, message: EmailMessage, recipients: list[str]) -> None:
        if not recipients:
            raise ValueError("send needs at least one recipient")
        try:
            errors, _ = await aiosmtplib.send(
                message,
                sender=self.envelope_from,
                recipients=list(recipients),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.security == "ssl",
                # "plain" means exactly that: no opportunistic upgrade whose failure would look transient.
                start_tls=self.security == "starttls",
                timeout=self.timeout,
                tls_context=self.tls_context,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _recipients_error(exc.recipients, accepted=[]) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise SenderConfigurationError(f"SMTP login refused: {exc.code} {exc.message}") from exc
        except aiosmtplib.SMTPNotSupported as exc:
            raise SenderConfigurationError(f"SMTP server lacks a required feature: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 400 <= exc.code < 500:
                raise TransientDeliveryError(exc.message, exc.code) from exc
            if 500 <= exc.code < 600:
                raise PermanentDeliveryError(recipients, exc.code, exc.message) from exc
            raise TransientDeliveryError(f"unexpected SMTP reply {exc.code} {exc.message}", exc.code) from exc
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            # Connection refused, dropped, timed out, TLS handshake reset: worth a retry later.
            raise TransientDeliveryError(f"SMTP connection to {self.host}:{self.port} failed: {exc}") from exc
        if errors:
            refused = [
                aiosmtplib.SMTPRecipientRefused(r.code, r.message, addr) for addr, r in errors.items()
            ]
            accepted = [r for r in recipients if r not in errors]
            raise _recipients_error(refused, accepted=accepted)


def _recipients_error(refused: list[aiosmtplib.SMTPRecipientRefused], accepted: list[str]) -> DeliveryError:
    permanent = [r for r in refused if 500 <= r.code < 600]
    if permanent:
        first = permanent[0]
        return PermanentDeliveryError([r.recipient for r in permanent], first.code, first.message, accepted)
    first = refused[0]
    return TransientDeliveryError(
        f"recipients refused for now: {', '.join(r.recipient for r in refused)}: {first.message}",
        first.code,
        accepted,
    )


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._@=+-]+")


def eml_filename(message: EmailMessage) -> str:
    """`<sanitised Message-ID>.eml`, or a content hash when the message has no Message-ID."""
    mid = str(message.get("Message-ID") or "").strip().strip("<>")
    if not mid:
        return "sha256-" + hashlib.sha256(message.as_bytes()).hexdigest() + ".eml"
    return _UNSAFE_NAME.sub("_", mid).strip("._")[:200] + ".eml"


class FileSender:
    """Writes each message to `<directory>/<message-id>.eml`, like Django's file e-mail backend.

    Writing is atomic (temp file + rename), and a second send of the same Message-ID keeps the first file,
    which mirrors what the deterministic Message-ID promises: one letter, however often it is sent.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"FileSender({str(self.directory)!r})"

    async def send(self, message: EmailMessage, recipients: list[str]) -> None:
        if not recipients:
            raise ValueError("send needs at least one recipient")
        await asyncio.to_thread(self._write, message, list(recipients))

    def _write(self, message: EmailMessage, recipients: list[str]) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / eml_filename(message)
        if target.exists():
            return target
        # Keep the envelope recipients visible (a BCC would otherwise be lost), as an MTA's Envelope-To does.
        envelope = ", ".join(r.replace("\n", "").replace("\r", "") for r in recipients)
        data = f"X-Envelope-To: {envelope}\n".encode() + message.as_bytes()
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".eml")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # link() fails if the name exists, so a concurrent second send cannot overwrite the first.
            try:
                os.link(tmp, target)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        return target
