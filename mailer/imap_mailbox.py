"""`ImapMailbox`: the Mailbox port over IMAP (imap-tools), by UID, with IDLE and a polling fallback."""

from __future__ import annotations

import imaplib
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxFolderCreateError, MailboxLoginError
from imap_tools.mailbox import BaseMailBox

from mailer.mailbox import Cursor, MailboxError, MailboxItem

__all__ = ["ImapMailbox"]

Security = Literal["plain", "ssl", "starttls"]
T = TypeVar("T")

# Errors after which a fresh connection is worth one more try.
_CONNECTION_ERRORS = (imaplib.IMAP4.abort, OSError, EOFError, socket.timeout, ssl.SSLError)
_UID = re.compile(rb"UID (\d+)")
# UIDs per MOVE command: a UID set of ranges stays short, but a scattered one is bounded in length.
MOVE_BATCH = 500
# RFC 2177: re-issue IDLE well before the server's 30-minute inactivity logout.
_MAX_IDLE = 25 * 60


class ImapMailbox:
    """One folder of one IMAP account. Not thread-safe: give each worker its own instance."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        folder: str = "INBOX",
        security: Security = "plain",
        timeout: float = 30.0,
        poll_interval: float = 60.0,
        ssl_context: ssl.SSLContext | None = None,
        fetch_batch: int = 200,
    ) -> None:
        if security not in ("plain", "ssl", "starttls"):
            raise ValueError(f"unknown IMAP security {security!r}")
        self.host, self.port = host, port
        self.username, self._password = username, password
        self.folder = folder
        self.security = security
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.ssl_context = ssl_context
        self.fetch_batch = fetch_batch
        self._box: BaseMailBox | None = None
        self._known_folders: set[str] = set()
        self._fetched_state: tuple[int, int] | None = None  # (UIDVALIDITY, UIDNEXT) when fetch last looked

    def __repr__(self) -> str:
        return f"ImapMailbox({self.host!r}, {self.port}, user={self.username!r}, folder={self.folder!r})"

    # -- connection ---------------------------------------------------------------------------
    def _connect(self) -> BaseMailBox:
        if self._box is not None:
            return self._box
        box: BaseMailBox
        try:
            if self.security == "ssl":
                box = MailBox(self.host, self.port, timeout=self.timeout, ssl_context=self.ssl_context)
            elif self.security == "starttls":
                box = MailBoxStartTls(
                    self.host, self.port, timeout=self.timeout, ssl_context=self.ssl_context
                )
            else:
                box = MailBoxUnencrypted(self.host, self.port, timeout=self.timeout)
            box.login(self.username, self._password, initial_folder=self.folder)
        except MailboxLoginError as exc:
            raise MailboxError(f"IMAP login to {self.host}:{self.port} as {self.username!r} refused") from exc
        except _CONNECTION_ERRORS as exc:
            raise MailboxError(f"cannot reach IMAP server {self.host}:{self.port}: {exc}") from exc
        # imaplib keeps the pre-login CAPABILITY list, which lacks MOVE on Dovecot; without this refresh
        # imap-tools falls back to COPY + \Deleted + EXPUNGE (services.md, "move() silently becomes ...").
        typ, data = box.client.capability()
        if typ == "OK" and data:
            box.client.capabilities = tuple(data[-1].decode().upper().split())
        self._box = box
        return box

    def _drop(self) -> None:
        box, self._box = self._box, None
        if box is not None:
            try:
                box.client.shutdown()
            except Exception:  # the socket is already broken; nothing more to release
                pass

    def _run(self, action: Callable[[BaseMailBox], T]) -> T:
        """Run `action` on a live connection; after a dropped connection reconnect once and retry."""
        for attempt in (1, 2):
            box = self._connect()
            try:
                return action(box)
            except _CONNECTION_ERRORS as exc:
                self._drop()
                if attempt == 2:
                    raise MailboxError(f"IMAP connection to {self.host}:{self.port} lost: {exc}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        box, self._box = self._box, None
        if box is not None:
            try:
                box.logout()
            except Exception:
                pass

    def __enter__(self) -> ImapMailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------------
    def _status(self, box: BaseMailBox) -> tuple[int, int]:
        # NOOP first: STATUS on the selected mailbox can be stale until then (services.md).
        box.client.noop()
        status = box.folder.status(self.folder, ("UIDVALIDITY", "UIDNEXT"))
        return int(status["UIDVALIDITY"]), int(status["UIDNEXT"])

    def cursor_state(self) -> Cursor:
        uidvalidity, uidnext = self._run(self._status)
        return Cursor(uidvalidity, uidnext - 1)

    def fetch(self, cursor: Cursor | None) -> Iterator[MailboxItem]:
        uidvalidity, uidnext = self._run(self._status)
        self._fetched_state = (uidvalidity, uidnext)
        # A new UIDVALIDITY means old UIDs mean nothing: read everything; ingest is idempotent by message key.
        after = cursor.last_uid if cursor is not None and cursor.uidvalidity == uidvalidity else 0
        uids = self._run(lambda box: self._uids_after(box, after))
        for start in range(0, len(uids), self.fetch_batch):
            batch = uids[start : start + self.fetch_batch]
            for uid, raw in self._run(lambda box, b=batch: self._fetch_raw(box, b)):  # type: ignore[misc]
                yield MailboxItem(uid=uid, raw=raw, cursor=Cursor(uidvalidity, uid))

    @staticmethod
    def _uids_after(box: BaseMailBox, after: int) -> list[int]:
        typ, data = box.client.uid("SEARCH", None, f"UID {after + 1}:*")  # type: ignore[arg-type]
        if typ != "OK":
            raise MailboxError(f"UID SEARCH failed: {data!r}")
        # "N:*" always matches the highest UID even when it is below N (RFC 3501), so filter again.
        uids = sorted({int(u) for u in (data[0] or b"").split()})
        return [u for u in uids if u > after]

    @staticmethod
    def _fetch_raw(box: BaseMailBox, uids: list[int]) -> list[tuple[int, bytes]]:
        # BODY.PEEK keeps \Seen untouched, so a human looking at the mailbox sees what is new to them.
        typ, data = box.client.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise MailboxError(f"UID FETCH failed: {data!r}")
        found: dict[int, bytes] = {}
        for part in data:
            if isinstance(part, tuple) and len(part) >= 2:
                match = _UID.search(part[0])
                if match:
                    found[int(match.group(1))] = part[1]
        # A message expunged between SEARCH and FETCH is simply absent.
        return [(uid, found[uid]) for uid in uids if uid in found]

    # -- moving -------------------------------------------------------------------------------
    def move(self, uid: int | str, folder: str) -> None:
        self.move_many([uid], folder)

    def move_many(self, uids: Sequence[int | str], folder: str) -> None:
        """Move these UIDs in one command per `MOVE_BATCH` (a UID set), never touching other messages."""
        wanted = sorted({int(u) for u in uids})
        for start in range(0, len(wanted), MOVE_BATCH):
            uid_set = uid_ranges(wanted[start : start + MOVE_BATCH])
            self._run(lambda box, s=uid_set: self._move(box, s, folder))  # type: ignore[misc]

    def _ensure_folder(self, box: BaseMailBox, folder: str) -> None:
        if folder in self._known_folders:
            return
        if not box.folder.exists(folder):
            try:
                box.folder.create(folder)
            except MailboxFolderCreateError:
                # Another worker created it first; that is what we wanted.
                if not box.folder.exists(folder):
                    raise
        self._known_folders.add(folder)

    def _move(self, box: BaseMailBox, uid_set: str, folder: str) -> None:
        self._ensure_folder(box, folder)
        capabilities = box.client.capabilities
        if "MOVE" in capabilities:
            typ, data = box.client.uid("MOVE", uid_set, _quote(folder))
            if typ != "OK":
                raise MailboxError(f"UID MOVE {uid_set} to {folder!r} failed: {data!r}")
            return
        if "UIDPLUS" not in capabilities:
            # A plain EXPUNGE would also remove messages someone else flagged \Deleted: refuse.
            raise MailboxError(f"IMAP server {self.host} has neither MOVE (RFC 6851) nor UIDPLUS (RFC 4315); "
                               "refusing COPY + EXPUNGE")
        # Copied first: a crash after the COPY leaves a duplicate in the folder, never a lost message; UID
        # EXPUNGE removes exactly these UIDs.
        steps = (("COPY", (uid_set, _quote(folder))), ("STORE", (uid_set, "+FLAGS.SILENT", r"(\Deleted)")),
                 ("EXPUNGE", (uid_set,)))
        for command, args in steps:
            typ, data = box.client.uid(command, *args)
            if typ != "OK":
                raise MailboxError(f"UID {command} {uid_set} (to {folder!r}) failed: {data!r}")

    # -- waiting ------------------------------------------------------------------------------
    def wait(self, timeout: float) -> bool:
        """IDLE until the server reports a change (True) or `timeout` passes (False)."""
        timeout = max(0.0, min(timeout, _MAX_IDLE))
        box = self._connect_or_none()
        if box is None:
            # Server away: pause as a poll would, then let the caller's fetch reconnect.
            time.sleep(min(timeout, self.poll_interval))
            return True
        if "IDLE" not in box.client.capabilities:
            time.sleep(min(timeout, self.poll_interval))
            return True
        try:
            # Mail that arrived between the last fetch and this IDLE raises no EXISTS during IDLE: look first,
            # or it would wait for the next timeout.
            if self._fetched_state is not None and self._status(box) != self._fetched_state:
                return True
            responses = box.idle.wait(timeout=timeout)
        except _CONNECTION_ERRORS:
            self._drop()
            return True  # mail may have arrived while we were disconnected
        except Exception:
            # imap-tools raises its own errors when the tagged IDLE answer is lost; reconnect next time.
            self._drop()
            return True
        return any(b"EXISTS" in r or b"RECENT" in r for r in responses)

    def _connect_or_none(self) -> BaseMailBox | None:
        try:
            return self._connect()
        except MailboxError:
            return None


def uid_ranges(uids: Sequence[int]) -> str:
    """A compact IMAP UID set for sorted UIDs: [1, 2, 3, 7] -> "1:3,7"."""
    parts: list[str] = []
    start = prev = None
    for uid in uids:
        if prev is not None and uid == prev + 1:
            prev = uid
            continue
        if start is not None:
            parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = uid
    if start is not None:
        parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
