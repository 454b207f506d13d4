"""A real SMTP server (aiosmtpd) with faults on demand, that delivers local recipients as an MTA would.

Faults: refuse connections (down), 421 at connect, per-recipient replies for the first N tries (451, 550),
and holds at three points of the transaction -- at RCPT (before DATA), after the data before the final reply
(during DATA, nothing accepted yet), and after the server accepted the message (`after_250`: delivered and
counted, its 250 not yet heard by the client; a client that keeps its connection open for the next message
sends no QUIT to be held at, so this is where the server has the message and the worker does not know).
A held client is what a test kills with SIGKILL. Local recipients (the service's own sent-copy address) get
the message by IMAP APPEND into their account's INBOX with a Delivered-To header, at the moment the server
accepts it -- before it answers 250, as a real MTA's local delivery or queue would.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from imap_tools import MailBoxUnencrypted

from tests.servers import free_port, wait_for_port

HOLD_POINTS = ("rcpt", "data", "after_250")


@dataclass(frozen=True)
class Accepted:
    message_id: str
    rcpt_tos: list[str]
    queue_id: str
    raw: bytes


@dataclass
class Fault:
    """What the server does wrong now; change it between steps of a test."""

    hold: str | None = None  # one of HOLD_POINTS
    refuse_connect: bool = False  # answer 421 to every new connection
    # address (lower case) -> [reply, times]: the reply is given for the first `times` RCPTs of that address.
    recipient_replies: dict[str, list] = field(default_factory=dict)


class _FaultySmtp(SMTP):
    async def _handle_client(self) -> None:
        if self.event_handler.fault.refuse_connect:
            await self.push("421 4.3.2 Service not available, closing transmission channel")
            assert self.transport is not None
            self.transport.close()
            return
        await super()._handle_client()


class _Controller(Controller):
    def factory(self):  # type: ignore[no-untyped-def]
        return _FaultySmtp(self.handler, **self.SMTP_kwargs)


class FaultSmtpServer:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.fault = Fault()
        self.accepted: list[Accepted] = []
        self.local: dict[str, object] = {}  # address (lower case) -> tests.servers.ImapAccount
        self.held = 0  # clients caught at the hold point so far
        self._release = threading.Event()
        self._changed = threading.Condition()
        self._controller: _Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}?timeout=10"

    # -- control ------------------------------------------------------------------------------
    def start(self) -> None:
        self._controller = _Controller(self, hostname=self.host, port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        """Down: the port refuses connections until `start` again (same port)."""
        if self._controller is not None:
            self.release()
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        self.start()
        assert wait_for_port(self.host, self.port, timeout=10)

    def release(self) -> None:
        """Let held clients go on (if they are still alive)."""
        self.fault.hold = None
        self._release.set()

    def deliver_locally(self, address: str, account: object) -> None:
        self.local[address.lower()] = account

    def wait_held(self, count: int = 1, timeout: float = 60) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.held >= count, timeout=timeout)

    # -- counting -----------------------------------------------------------------------------
    def delivered(self, exclude_local: bool = True) -> Counter[tuple[str, str]]:
        """(recipient, Message-ID) -> how many times the server accepted it for that recipient."""
        counts: Counter[tuple[str, str]] = Counter()
        with self._changed:
            for item in self.accepted:
                for rcpt in item.rcpt_tos:
                    if not (exclude_local and rcpt.lower() in self.local):
                        counts[(rcpt.lower(), item.message_id)] += 1
        return counts

    # -- aiosmtpd hooks -----------------------------------------------------------------------
    async def _hold(self, point: str) -> None:
        if self.fault.hold != point:
            return
        self._release.clear()
        with self._changed:
            self.held += 1
            self._changed.notify_all()
        while not self._release.is_set():
            await asyncio.sleep(0.02)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        await self._hold("rcpt")
        planned = self.fault.recipient_replies.get(address.lower())
        if planned and planned[1] > 0:
            planned[1] -= 1
            return planned[0]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await self._hold("data")
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")
        queue_id = secrets.token_hex(5).upper()
        message_id = str(BytesHeaderParser(policy=compat32).parsebytes(raw).get("Message-ID", "")).strip()
        # Accepted from here on: local delivery happens now, whether or not the client hears our answer.
        for rcpt in envelope.rcpt_tos:
            account = self.local.get(rcpt.lower())
            if account is not None:
                await asyncio.to_thread(_append, account, f"Delivered-To: {rcpt}\r\n".encode() + raw)
        with self._changed:
            self.accepted.append(Accepted(message_id, list(envelope.rcpt_tos), queue_id, raw))
            self._changed.notify_all()
        await self._hold("after_250")
        return f"250 2.0.0 Ok: queued as {queue_id}"


def _append(account, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password,
                                                              initial_folder=None) as box:
        box.append(raw, "INBOX")


@pytest.fixture
def fault_smtp() -> Iterator[FaultSmtpServer]:
    """A started fault-injecting SMTP server (a pytest plugin of tests/conftest.py), stopped after the test."""
    server = FaultSmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
