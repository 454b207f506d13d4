"""Test doubles for the worker's unit tests: an in-memory mailbox and a recording sender."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

from mailer.errors import DeliveryError
from mailer.mailbox import Cursor, MailboxItem

__all__ = ["InMemoryMailbox", "RecordingSender", "SentMessage"]


class InMemoryMailbox:
    """Behaves like one IMAP folder: UIDs grow, UIDVALIDITY can be changed, moves keep the message."""

    def __init__(self, uidvalidity: int = 1, folder: str = "INBOX") -> None:
        self.uidvalidity = uidvalidity
        self.folder = folder
        self.folders: dict[str, dict[int, bytes]] = {folder: {}}
        self._next_uid = 1
        self._pending = 0  # appends since the last wait(), what IDLE would report
        self.closed = False

    def add(self, raw: bytes) -> int:
        """APPEND a message to the watched folder; returns its UID."""
        uid = self._next_uid
        self._next_uid += 1
        self.folders[self.folder][uid] = raw
        self._pending += 1
        return uid

    def reset_uidvalidity(self, uidvalidity: int) -> None:
        """Simulate a server that renumbered the folder (UIDs restart at 1)."""
        self.uidvalidity = uidvalidity
        inbox = list(self.folders[self.folder].values())
        self.folders[self.folder] = {}
        self._next_uid = 1
        for raw in inbox:
            self.add(raw)

    def messages(self, folder: str | None = None) -> list[bytes]:
        return list(self.folders.get(folder or self.folder, {}).values())

    def cursor_state(self) -> Cursor:
        return Cursor(self.uidvalidity, self._next_uid - 1)

    def fetch(self, cursor: Cursor | None) -> Iterator[MailboxItem]:
        after = cursor.last_uid if cursor is not None and cursor.uidvalidity == self.uidvalidity else 0
        for uid, raw in sorted(self.folders[self.folder].items()):
            if uid > after:
                yield MailboxItem(uid=uid, raw=raw, cursor=Cursor(self.uidvalidity, uid))

    def move(self, uid: int | str, folder: str) -> None:
        raw = self.folders[self.folder].pop(int(uid))
        target = self.folders.setdefault(folder, {})
        target[max(target, default=0) + 1] = raw

    def move_many(self, uids: list[int | str], folder: str) -> None:
        for uid in uids:
            self.move(uid, folder)

    def wait(self, timeout: float) -> bool:
        woke = self._pending > 0
        self._pending = 0
        return woke

    def close(self) -> None:
        self.closed = True


@dataclass(frozen=True)
class SentMessage:
    message: EmailMessage
    recipients: list[str]

    @property
    def message_id(self) -> str | None:
        value = self.message.get("Message-ID")
        return str(value) if value is not None else None


@dataclass
class RecordingSender:
    """Records every send; `fail_next` errors are raised, one per send, before anything is recorded."""

    sent: list[SentMessage] = field(default_factory=list)
    fail_next: list[DeliveryError] = field(default_factory=list)

    async def send(self, message: EmailMessage, recipients: list[str]) -> None:
        if not recipients:
            raise ValueError("send needs at least one recipient")
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append(SentMessage(message, list(recipients)))

    def clear(self) -> None:
        self.sent.clear()
