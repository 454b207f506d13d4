"""An SMTP sender that keeps its connections open between messages (RSET between, reconnect on failure).

A new connection per message costs a TCP (and TLS) handshake, EHLO and AUTH: at a relay that is most of the
time a letter takes. The pool keeps up to `max_connections` open clients to its one server on a private event
loop thread, so callers that each run `asyncio.run(sender.send(...))` (one loop per call, as the send job does)
share them. Every guarantee of `SmtpSender` holds per message: the copy to self, per-recipient outcomes, the
queue id, and `maybe_delivered` when a connection breaks during DATA. A connection is reused only after a
transaction that ended in a reply (250, or a partial refusal); any exception discards it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage

import aiosmtplib

from mailer.errors import TransientDeliveryError
from mailer.sender import SendReceipt, SmtpSender, _TrackedSmtp


class PooledSmtpSender:
    """`SmtpSender` with open connections reused (bounded per server, idle ones closed after `max_idle` s)."""

    def __init__(self, smtp: SmtpSender, *, max_connections: int = 2, max_idle: float = 30.0,
                 max_messages: int = 100, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.smtp = smtp
        self.max_connections = max(1, max_connections)
        self.max_idle = max_idle  # servers close idle sessions (often after 60-300 s); we close first
        self.max_messages = max_messages  # some relays limit messages per session
        self._monotonic = monotonic
        self._idle: list[tuple[_TrackedSmtp, float, int]] = []  # (client, idle since, messages sent on it)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._lock = threading.Lock()
        self.connections_opened = 0  # for tests and the benchmark: how often a handshake was paid

    def __repr__(self) -> str:
        return f"PooledSmtpSender({self.smtp!r}, max_connections={self.max_connections})"

    @property
    def copy_to(self) -> str | None:
        return self.smtp.copy_to

    async def send(self, message: EmailMessage, recipients: list[str]) -> SendReceipt:
        future = asyncio.run_coroutine_threadsafe(self._send(message, recipients), self._running_loop())
        return await asyncio.wrap_future(future)

    async def send_bytes(self, raw: bytes, recipients: list[str]) -> SendReceipt:
        """A stored message's bytes as they are (see `mailer.sender.sendable_as_is`)."""
        future = asyncio.run_coroutine_threadsafe(self._send(raw, recipients), self._running_loop())
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """QUIT the idle connections and stop the pool's loop; idempotent."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._close_idle(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="smtp-pool", daemon=True).start()
                self._slots = None
                self._loop = loop
            return self._loop

    async def _send(self, message: EmailMessage | bytes, recipients: list[str]) -> SendReceipt:
        if self._slots is None:  # created on the pool's own loop
            self._slots = asyncio.Semaphore(self.max_connections)
        recipients, copy = self.smtp.envelope(recipients)
        async with self._slots:
            smtp, sent = await self._checkout()
            smtp.begin(copy)
            try:
                errors, reply = await self.smtp.transmit(smtp, message, [*recipients, *([copy] if copy else [])])
            except Exception as exc:
                await _drop(smtp)
                error = self.smtp.delivery_error(exc, recipients, copy, smtp)
                if error is exc:
                    raise
                raise error from exc
            self._idle.append((smtp, self._monotonic(), sent + 1))
        return self.smtp.receipt(errors, reply, recipients, copy)

    async def _checkout(self) -> tuple[_TrackedSmtp, int]:
        """An open connection whose session is reset (RSET), or a new one. A reused connection that fails its
        RSET (the server closed it meanwhile) is replaced before any MAIL FROM: no message was at stake."""
        while self._idle:
            smtp, since, sent = self._idle.pop()
            if (not smtp.is_connected or sent >= self.max_messages
                    or self._monotonic() - since > self.max_idle):
                await _quit(smtp)
                continue
            try:
                await smtp.rset()
                return smtp, sent
            except (TimeoutError, aiosmtplib.SMTPException, OSError):
                await _drop(smtp)
        smtp = self.smtp.client(None)
        try:
            await smtp.connect()
        except Exception as exc:
            error = self.smtp.delivery_error(exc, [], None, smtp)
            if isinstance(error, TransientDeliveryError):  # nothing was sent: not maybe delivered
                raise TransientDeliveryError(str(error), error.code) from exc
            if error is exc:
                raise
            raise error from exc
        self.connections_opened += 1
        return smtp, 0

    async def _close_idle(self) -> None:
        idle, self._idle = self._idle, []
        for smtp, _, _ in idle:
            await _quit(smtp)


async def _quit(smtp: _TrackedSmtp) -> None:
    try:
        if smtp.is_connected:
            await smtp.quit()
    except (TimeoutError, aiosmtplib.SMTPException, OSError):
        smtp.close()


async def _drop(smtp: _TrackedSmtp) -> None:
    """Close without a word: after a failure the session's state is unknown."""
    if smtp.is_connected:
        smtp.close()
