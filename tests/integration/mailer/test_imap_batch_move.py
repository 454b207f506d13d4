"""ImapMailbox.move_many against a private Dovecot: one UID set per command, with MOVE and without it."""

from __future__ import annotations

import re
import time

import pytest
from imap_tools import MailBoxUnencrypted

from mailer.imap_mailbox import ImapMailbox, uid_ranges
from mailer.mailbox import MailboxError
from mailer.urls import mailbox_from_url

pytestmark = pytest.mark.integration


def _append(account, n: int) -> int:  # type: ignore[no-untyped-def]
    raw = (f"From: shop@example.test\r\nTo: invoices@example.test\r\nSubject: Invoice {n}\r\n"
           f"Message-ID: <b{n}-{time.monotonic_ns()}@example.test>\r\n\r\nBody {n}\r\n").encode()
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        typ, data = box.client.append("INBOX", None, None, raw)
    assert typ == "OK", data
    return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))  # type: ignore[union-attr]


def _subjects(account, folder: str) -> list[str]:  # type: ignore[no-untyped-def]
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        box.folder.set(folder)
        return sorted(m.subject for m in box.fetch(mark_seen=False))


def _flag_deleted(account, uid: int) -> None:  # type: ignore[no-untyped-def]
    # A message another client flagged \Deleted must survive our moves: a plain EXPUNGE would remove it.
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        box.client.uid("STORE", str(uid), "+FLAGS", r"(\Deleted)")


def test_uid_ranges_are_compact():
    assert uid_ranges([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
    assert uid_ranges([5]) == "5" and uid_ranges([]) == ""


@pytest.mark.parametrize("capability", ["MOVE", "UIDPLUS"])
def test_move_many_moves_exactly_those_uids(dovecot, capability):
    account = dovecot.new_account("batch")
    uids = [_append(account, n) for n in range(6)]
    keep = uids[2]
    _flag_deleted(account, keep)
    mailbox = mailbox_from_url(account.url())
    assert isinstance(mailbox, ImapMailbox)
    try:
        mailbox.cursor_state()  # connected
        if capability == "UIDPLUS":  # a server without MOVE: UID COPY, UID STORE \Deleted, UID EXPUNGE
            box = mailbox._box
            assert box is not None
            box.client.capabilities = tuple(c for c in box.client.capabilities if c != "MOVE")
        mailbox.move_many([u for u in uids if u != keep], "Processed")
        assert [i.uid for i in mailbox.fetch(None)] == [keep]
    finally:
        mailbox.close()
    assert _subjects(account, "Processed") == [f"Invoice {n}" for n in (0, 1, 3, 4, 5)]


def test_move_many_refuses_a_server_with_neither_move_nor_uidplus(dovecot):
    account = dovecot.new_account("bare")
    uid = _append(account, 1)
    mailbox = mailbox_from_url(account.url())
    assert isinstance(mailbox, ImapMailbox)
    try:
        mailbox.cursor_state()
        box = mailbox._box
        assert box is not None
        box.client.capabilities = tuple(c for c in box.client.capabilities if c not in ("MOVE", "UIDPLUS"))
        with pytest.raises(MailboxError, match="neither MOVE"):
            mailbox.move_many([uid], "Processed")
    finally:
        mailbox.close()
    assert _subjects(account, "INBOX") == ["Invoice 1"]
