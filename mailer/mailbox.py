"""The `Mailbox` port: fetch raw messages after a cursor, move them to folders, wait for new mail."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

__all__ = ["Cursor", "MailboxItem", "Mailbox", "ImapMailbox", "MaildirMailbox", "MailboxError"]

if TYPE_CHECKING:
    from mailer.imap_mailbox import ImapMailbox
    from mailer.maildir_mailbox import MaildirMailbox


class MailboxError(Exception):
    """The mailbox could not be reached or refused an operation (after one reconnect)."""


@dataclass(frozen=True)
class Cursor:
    """Where reading stopped: UIDs are only comparable while UIDVALIDITY stays the same."""

    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class MailboxItem:
    uid: int | str  # IMAP UID, or the file key of a Maildir message
    raw: bytes
    cursor: Cursor | None  # persist this after the item is processed; None for Maildir


class Mailbox(Protocol):
    def cursor_state(self) -> Cursor | None:
        """The cursor that points past everything in the folder now (None where cursors do not apply)."""
        ...

    def fetch(self, cursor: Cursor | None) -> Iterator[MailboxItem]:
        """Messages after `cursor` in UID order; everything if the cursor is None or UIDVALIDITY changed."""
        ...

    def move(self, uid: int | str, folder: str) -> None:
        """Move one message into `folder`, creating it if needed; never deletes."""
        ...

    def move_many(self, uids: Sequence[int | str], folder: str) -> None:
        """Move these messages into `folder` in as few round trips as the server allows; only these."""
        ...

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True when new mail may have arrived."""
        ...

    def close(self) -> None: ...


def __getattr__(name: str) -> object:
    # Lazy, so the adapters can import Cursor from here without an import cycle.
    if name == "ImapMailbox":
        from mailer.imap_mailbox import ImapMailbox

        return ImapMailbox
    if name == "MaildirMailbox":
        from mailer.maildir_mailbox import MaildirMailbox

        return MaildirMailbox
    raise AttributeError(name)
