"""`MaildirMailbox`: the Mailbox port over a local Maildir drop folder (the embedded default)."""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from mailer.mailbox import Cursor, MailboxItem

__all__ = ["MaildirMailbox"]


class MaildirMailbox:
    """Reads `new/` and `cur/` of a Maildir; `move` files messages into the sub-maildir `.Folder`.

    There is no UIDVALIDITY here, so items carry no cursor: every fetch lists what is still in the inbox,
    which stays small because processed messages are moved out, and ingest is idempotent anyway.
    """

    def __init__(self, path: str | os.PathLike[str], *, poll_interval: float = 0.2) -> None:
        self.path = Path(path)
        self.poll_interval = poll_interval
        self._box = stdlib_mailbox.Maildir(self.path, factory=None, create=True)
        self._seen: set[str] = set()

    def __repr__(self) -> str:
        return f"MaildirMailbox({str(self.path)!r})"

    def cursor_state(self) -> Cursor | None:
        return None

    def _keys(self) -> list[str]:
        self._box._refresh()  # type: ignore[attr-defined]  # the stdlib caches the listing for 2 s; we want what is on disk now
        # Oldest first, the order in which the mail arrived; the file name starts with the delivery time.
        return sorted(self._box.keys(), key=lambda k: (self._mtime(k), k))

    def _mtime(self, key: str) -> float:
        try:
            return (self.path / self._box._lookup(key)).stat().st_mtime  # type: ignore[attr-defined]
        except (OSError, KeyError):
            return 0.0

    def fetch(self, cursor: Cursor | None = None) -> Iterator[MailboxItem]:
        keys = self._keys()
        self._seen = set(keys)
        for key in keys:
            try:
                raw = self._box.get_bytes(key)
            except (KeyError, FileNotFoundError):
                continue  # moved away by another worker meanwhile
            yield MailboxItem(uid=key, raw=raw, cursor=None)

    def move(self, uid: int | str, folder: str) -> None:
        key = str(uid)
        if folder.startswith(".") or "/" in folder:
            raise ValueError(f"Maildir folder names must be plain names: {folder!r}")
        try:
            target = self._box.get_folder(folder)
        except stdlib_mailbox.NoSuchMailboxError:
            target = self._box.add_folder(folder)
        source = self.path / self._box._lookup(key)  # type: ignore[attr-defined]
        # rename keeps the same file (no copy + delete), atomically, within one file system.
        # Files in cur/ carry an info suffix (":2,flags"); one from new/ gets an empty one.
        name = source.name if ":" in source.name else source.name + ":2,"
        os.rename(source, Path(target._path) / "cur" / name)
        self._seen.discard(key)

    def move_many(self, uids: Sequence[int | str], folder: str) -> None:
        """One rename per message: a local rename is as cheap as a batch would be."""
        for uid in uids:
            self.move(uid, folder)

    def wait(self, timeout: float) -> bool:
        """Poll the folder until a message not seen by the last fetch appears, or `timeout` passes."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            if set(self._keys()) - self._seen:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(self.poll_interval, remaining))

    def close(self) -> None:
        self._box.close()
