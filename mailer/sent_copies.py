"""Copies of what we sent: APPEND to the Sent folder, and find a message by Message-ID in the given folders."""

from __future__ import annotations

import email.parser
import email.policy
import mailbox as stdlib_mailbox
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from imap_tools import MailMessageFlags
from imap_tools.errors import MailboxFolderCreateError
from imap_tools.mailbox import BaseMailBox

from mailer.imap_mailbox import ImapMailbox
from mailer.mailbox import MailboxError
from mailer.maildir_mailbox import MaildirMailbox

__all__ = ["SentCopies", "ImapSentCopies", "MaildirSentCopies", "InMemorySentCopies", "sent_copies_for"]

# What an IMAP search string may carry unquoted-safe inside "...": Message-IDs we make never need more.
_SEARCHABLE = re.compile(r'^<?[^"\\\r\n]{1,300}>?$')


class SentCopies(Protocol):
    def append(self, raw: bytes) -> None:
        """File a copy of a sent message in the Sent folder (created if missing)."""
        ...

    def find(self, message_id: str) -> str | None:
        """The folder holding a message with this Message-ID (Sent first), or None when none does."""
        ...


class ImapSentCopies:
    """Sent copies in an IMAP account: APPEND as mail clients do, SEARCH HEADER Message-ID to find one."""

    def __init__(self, mailbox: ImapMailbox, sent_folder: str, search_folders: Sequence[str]) -> None:
        self._mailbox = mailbox  # its own connection: a send job never shares the watcher's session
        self.sent_folder = sent_folder
        self.search_folders = list(dict.fromkeys([sent_folder, *search_folders]))

    def __repr__(self) -> str:
        return f"ImapSentCopies({self._mailbox!r}, sent={self.sent_folder!r})"

    def append(self, raw: bytes) -> None:
        def action(box: BaseMailBox) -> None:
            if not box.folder.exists(self.sent_folder):
                try:
                    box.folder.create(self.sent_folder)
                except MailboxFolderCreateError:
                    if not box.folder.exists(self.sent_folder):  # another worker created it first: fine
                        raise
            box.append(raw, self.sent_folder, flag_set=[MailMessageFlags.SEEN])
        try:
            self._mailbox._run(action)
        finally:
            self._mailbox.close()

    def find(self, message_id: str) -> str | None:
        if not _SEARCHABLE.match(message_id):
            raise ValueError(f"not a Message-ID we could have made: {message_id!r}")
        wanted = message_id.strip()

        def action(box: BaseMailBox) -> str | None:
            for folder in self.search_folders:
                if not box.folder.exists(folder):
                    continue
                box.folder.set(folder, readonly=True)
                typ, data = box.client.uid("SEARCH", None, f'HEADER Message-ID "{wanted}"')  # type: ignore[arg-type]
                if typ != "OK":
                    raise MailboxError(f"SEARCH in {folder!r} failed: {data!r}")
                if (data[0] or b"").split():
                    return folder
            return None
        try:
            return self._mailbox._run(action)
        finally:
            self._mailbox.close()


class MaildirSentCopies:
    """Sent copies in the embedded Maildir: a `.Sent` sub-folder; finding reads the Message-ID headers."""

    def __init__(self, path: str | Path, sent_folder: str, search_folders: Sequence[str]) -> None:
        self.path = Path(path)
        self.sent_folder = sent_folder
        self.search_folders = list(dict.fromkeys([sent_folder, *search_folders]))

    def _folder(self, name: str, create: bool) -> stdlib_mailbox.Maildir | None:
        root = stdlib_mailbox.Maildir(self.path, factory=None, create=True)
        if name.upper() == "INBOX":
            return root
        try:
            return root.get_folder(name)
        except stdlib_mailbox.NoSuchMailboxError:
            return root.add_folder(name) if create else None

    def append(self, raw: bytes) -> None:
        folder = self._folder(self.sent_folder, create=True)
        assert folder is not None
        message = stdlib_mailbox.MaildirMessage(raw)
        message.set_subdir("cur")
        message.add_flag("S")
        folder.add(message)

    def find(self, message_id: str) -> str | None:
        parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
        for name in self.search_folders:
            folder = self._folder(name, create=False)
            if folder is None:
                continue
            for key in folder.keys():
                try:
                    with folder.get_file(key) as handle:
                        headers = parser.parse(handle)  # type: ignore[arg-type]
                except (KeyError, FileNotFoundError):
                    continue  # moved away meanwhile
                if str(headers.get("Message-ID", "")).strip() == message_id.strip():
                    return name
        return None


class InMemorySentCopies:
    """The fake for unit tests: folders of raw messages in a dict."""

    def __init__(self, sent_folder: str = "Sent") -> None:
        self.sent_folder = sent_folder
        self.folders: dict[str, list[bytes]] = {}

    def append(self, raw: bytes) -> None:
        self.folders.setdefault(self.sent_folder, []).append(raw)

    def find(self, message_id: str) -> str | None:
        parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
        for name, messages in self.folders.items():
            if any(str(parser.parsebytes(raw).get("Message-ID", "")).strip() == message_id.strip()
                   for raw in messages):
                return name
        return None


def sent_copies_for(mailbox: ImapMailbox | MaildirMailbox, sent_folder: str,
                    search_folders: Sequence[str]) -> SentCopies:
    """Sent copies in the same account as the service mailbox, searched in `sent_folder` + `search_folders`."""
    if isinstance(mailbox, MaildirMailbox):
        return MaildirSentCopies(mailbox.path, sent_folder, search_folders)
    return ImapSentCopies(mailbox, sent_folder, search_folders)


def is_sent_copy(message_id: str | None, delivered_to: Sequence[str], message_id_domain: str,
                 copy_address: str | None) -> bool:
    """Our own message, come back through the sent-copy address: file it, never read it as inbound mail."""
    if not copy_address or not message_id:
        return False
    ours = message_id.strip().lower().rstrip(">").endswith("@" + message_id_domain.strip().lower())
    return ours and copy_address.lower() in {a.strip().lower() for a in delivered_to}
