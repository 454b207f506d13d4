"""Outgoing transports: the `Sender` port, an SMTP sender (aiosmtplib) and a folder of `.eml` files."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import ssl
import tempfile
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import aiosmtplib

from mailer.errors import (
    DeliveryError,
    PermanentDeliveryError,
    Refusal,
    SenderConfigurationError,
    TransientDeliveryError,
)

__all__ = [
    "Sender",
    "RawSender",
    "SendReceipt",
    "SmtpSender",
    "FileSender",
    "DeliveryError",
    "TransientDeliveryError",
    "PermanentDeliveryError",
    "SenderConfigurationError",
]

Security = Literal["plain", "ssl", "starttls"]


class Sender(Protocol):
    async def send(self, message: EmailMessage, recipients: list[str]) -> SendReceipt | None: ...


@runtime_checkable
class RawSender(Protocol):
    """A sender that can hand over a message's stored bytes as they are (no parse, no re-flattening)."""

    async def send_bytes(self, raw: bytes, recipients: list[str]) -> SendReceipt: ...


def sendable_as_is(raw: bytes) -> bool:
    """Stored letters are 7-bit (quoted-printable text, base64 files, encoded headers): they go out byte for byte.
    Anything else is parsed and flattened for the server (8BITMIME, SMTPUTF8)."""
    return raw.isascii()


@dataclass(frozen=True)
class SendReceipt:
    """What the server said to the final DATA: its reply text and the queue id read from it (None: none given)."""

    reply: str
    queue_id: str | None
    accepted: list[str]


# The server's id for the message, as the common MTAs word their final reply to DATA.
_QUEUE_ID = [
    re.compile(r"queued as\s+<?([A-Za-z0-9._@-]+)>?", re.I),  # Postfix, many others
    re.compile(r"\bid=([A-Za-z0-9._-]+)", re.I),  # Exim
    re.compile(r"InternalId=(\d+)", re.I),  # Microsoft 365 / Exchange
    re.compile(r"\s(\S+)\s+-\s+gsmtp", re.I),  # Gmail
    re.compile(r"^(?:\d\.\d\.\d+\s+)?([A-Za-z0-9]{8,20})\s+Message accepted", re.I),  # Sendmail
    re.compile(r"^(?:\d\.\d\.\d+\s+)?Ok:?\s+([0-9a-f][0-9a-f-]{15,})\s*$", re.I),  # Amazon SES, Mailgun-like
]


def queue_id_from_reply(reply: str) -> str | None:
    """The queue id in a `250` reply to DATA ("2.0.0 Ok: queued as 4F3A..."), or None when it names none."""
    for pattern in _QUEUE_ID:
        found = pattern.search(reply.strip())
        if found:
            return found.group(1)[:200]
    return None


class _TrackedSmtp(aiosmtplib.SMTP):
    """An SMTP client that knows how far the transaction got, and gives the copy to self only with a letter.

    `copy_to` is given last; it is skipped when the server refused every real recipient, so a copy in our
    mailbox always means the DATA phase ended for at least one real recipient.
    """

    def __init__(self, *args: object, copy_to: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.begin(copy_to)

    def begin(self, copy_to: str | None) -> None:
        """A new transaction on this (possibly reused) connection."""
        self.copy_to = copy_to
        self.real_accepted = 0
        self.data_started = False

    async def rcpt(self, recipient: str, /, **kwargs):  # type: ignore[no-untyped-def, override]
        if recipient == self.copy_to and self.real_accepted == 0:
            raise aiosmtplib.SMTPRecipientRefused(0, "copy to self skipped: no real recipient accepted", recipient)
        response = await super().rcpt(recipient, **kwargs)
        if recipient != self.copy_to:
            self.real_accepted += 1
        return response

    async def data(self, message, /, **kwargs):  # type: ignore[no-untyped-def, override]
        self.data_started = True
        return await super().data(message, **kwargs)


class SmtpSender:
    """Hands each message to one SMTP server; maps replies to transient / permanent / configuration errors.

    `copy_to` (the service's own "sent copy" address) is added to every envelope, never to a header: the
    server then files a copy in our mailbox the moment it accepts the message, which proves a delivery even
    when this process dies before it could record the server's answer.
    """

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
        copy_to: str | None = None,
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
        self.copy_to = copy_to or None

    def __repr__(self) -> str:  # never show the password
        return f"SmtpSender({self.host!r}, {self.port}, security={self.security!r}, user={self.username!r})"

    def envelope(self, recipients: list[str]) -> tuple[list[str], str | None]:
        """The real recipients and the copy to self (None when it is one of them or not configured)."""
        if not recipients:
            raise ValueError("send needs at least one recipient")
        recipients = list(recipients)
        return recipients, self.copy_to if self.copy_to and self.copy_to not in recipients else None

    def client(self, copy: str | None) -> _TrackedSmtp:
        """A new, unconnected client for this server."""
        return _TrackedSmtp(
            hostname=self.host, port=self.port, username=self.username, password=self.password,
            use_tls=self.security == "ssl",
            # "plain" means exactly that: no opportunistic upgrade whose failure would look transient.
            start_tls=self.security == "starttls", timeout=self.timeout, tls_context=self.tls_context,
            copy_to=copy,
        )

    async def send(self, message: EmailMessage, recipients: list[str]) -> SendReceipt:
        return await self._send(message, recipients)

    async def send_bytes(self, raw: bytes, recipients: list[str]) -> SendReceipt:
        """The same for a stored message whose bytes are sendable as they are (see `sendable_as_is`)."""
        return await self._send(raw, recipients)

    async def _send(self, message: EmailMessage | bytes, recipients: list[str]) -> SendReceipt:
        recipients, copy = self.envelope(recipients)
        smtp = self.client(copy)
        try:
            async with smtp:
                errors, reply = await self.transmit(smtp, message, [*recipients, *([copy] if copy else [])])
        except Exception as exc:
            error = self.delivery_error(exc, recipients, copy, smtp)
            if error is exc:
                raise
            raise error from exc
        return self.receipt(errors, reply, recipients, copy)

    async def transmit(self, smtp: _TrackedSmtp, message: EmailMessage | bytes,
                       envelope: list[str]) -> tuple[dict[str, aiosmtplib.SMTPResponse], str]:
        """One transaction on an open connection: a message object is flattened by aiosmtplib, bytes go as is."""
        if isinstance(message, bytes):
            if self.envelope_from:
                return await smtp.sendmail(self.envelope_from, envelope, message)
            message = message_from_bytes(message, _class=EmailMessage, policy=policy.SMTP)  # its From is the sender
        return await smtp.send_message(message, sender=self.envelope_from, recipients=envelope)

    def delivery_error(self, exc: Exception, recipients: list[str], copy: str | None,
                       smtp: _TrackedSmtp) -> Exception:
        """The typed error for what the server or the connection did (anything unknown is returned as is)."""
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            return _recipients_error([r for r in exc.recipients if r.recipient != copy], accepted=[], queue_id=None)
        if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
            return SenderConfigurationError(f"SMTP login refused: {exc.code} {exc.message}")
        if isinstance(exc, aiosmtplib.SMTPNotSupported):
            return SenderConfigurationError(f"SMTP server lacks a required feature: {exc}")
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            if 400 <= exc.code < 500:
                return TransientDeliveryError(exc.message, exc.code)
            if 500 <= exc.code < 600:
                return PermanentDeliveryError(recipients, exc.code, exc.message)
            return TransientDeliveryError(f"unexpected SMTP reply {exc.code} {exc.message}", exc.code)
        if isinstance(exc, (TimeoutError, aiosmtplib.SMTPException, OSError)):
            # Connection refused, dropped, timed out, TLS handshake reset: worth a retry later. Broken during
            # DATA, the server may have the message: the caller must look for it before sending again.
            return TransientDeliveryError(f"SMTP connection to {self.host}:{self.port} failed: {exc}",
                                          maybe_delivered=smtp.data_started)
        return exc

    @staticmethod
    def receipt(errors: dict[str, aiosmtplib.SMTPResponse], reply: str, recipients: list[str],
                copy: str | None) -> SendReceipt:
        """The receipt of a transaction that ended in 250, or the error for the recipients it refused."""
        queue_id = queue_id_from_reply(reply)
        real_errors = {addr: r for addr, r in errors.items() if addr != copy}
        accepted = [r for r in recipients if r not in real_errors]
        if real_errors:
            refused = [aiosmtplib.SMTPRecipientRefused(r.code, r.message, addr) for addr, r in real_errors.items()]
            raise _recipients_error(refused, accepted=accepted, queue_id=queue_id)
        return SendReceipt(reply=reply, queue_id=queue_id, accepted=accepted)


def _recipients_error(refused: list[aiosmtplib.SMTPRecipientRefused], accepted: list[str],
                      queue_id: str | None) -> DeliveryError:
    refusals = [Refusal(r.recipient, r.code, r.message) for r in refused]
    permanent = [r for r in refused if 500 <= r.code < 600]
    if permanent:
        first = permanent[0]
        return PermanentDeliveryError([r.recipient for r in permanent], first.code, first.message, accepted,
                                      refusals, queue_id=queue_id)
    first = refused[0]
    return TransientDeliveryError(
        f"recipients refused for now: {', '.join(r.recipient for r in refused)}: {first.message}",
        first.code,
        accepted,
        refusals,
        queue_id=queue_id,
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

    async def send(self, message: EmailMessage, recipients: list[str]) -> SendReceipt:
        if not recipients:
            raise ValueError("send needs at least one recipient")
        path = await asyncio.to_thread(self._write, message, list(recipients))
        # The file is the proof: a second send of one Message-ID finds it and writes nothing.
        return SendReceipt(reply=f"written to {path.name}", queue_id=path.name, accepted=list(recipients))

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
