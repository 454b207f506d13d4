"""ImapMailbox against a private Dovecot: fetch by UID, UIDVALIDITY change, real MOVE, IDLE."""

from __future__ import annotations

import re
import threading
import time

import pytest
from imap_tools import MailBoxUnencrypted

from mailer.mailbox import Cursor, MailboxError
from mailer.urls import mailbox_from_url

pytestmark = pytest.mark.integration


def _raw(n: int, subject: str = "Invoice") -> bytes:
    return (
        f"From: Shop <shop@example.test>\r\nTo: invoices@example.test\r\nSubject: {subject} {n}\r\n"
        f"Message-ID: <m{n}-{time.monotonic_ns()}@example.test>\r\n\r\nBody {n}\r\n"
    ).encode()


def _append(account, raw: bytes, folder: str = "INBOX") -> int:
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        typ, data = box.client.append(folder, None, None, raw)
    assert typ == "OK", data
    return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))


@pytest.fixture
def account(dovecot):
    return dovecot.new_account()


def test_add_user_works_while_dovecot_runs(dovecot):
    account = dovecot.new_account("live")
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        assert box.folder.get() == "INBOX"


def test_fetch_by_uid_after_cursor_keeps_raw_bytes(account):
    raws = [_raw(i) for i in range(3)]
    uids = [_append(account, r) for r in raws]
    mailbox = mailbox_from_url(account.url())
    try:
        items = list(mailbox.fetch(None))
        assert [i.uid for i in items] == uids
        assert [i.raw for i in items] == raws
        assert items[-1].cursor == mailbox.cursor_state()
        # After the cursor only what is newer comes back, not the highest UID again ("N:*" quirk).
        assert list(mailbox.fetch(items[-1].cursor)) == []
        uid4 = _append(account, _raw(4))
        assert [i.uid for i in mailbox.fetch(items[-1].cursor)] == [uid4]
    finally:
        mailbox.close()


def test_changed_uidvalidity_refetches_everything(account, dovecot):
    _append(account, _raw(1))
    _append(account, _raw(2))
    mailbox = mailbox_from_url(account.url())
    try:
        cursor = mailbox.cursor_state()
        assert list(mailbox.fetch(cursor)) == []
        stale = Cursor(cursor.uidvalidity + 1, cursor.last_uid)
        assert len(list(mailbox.fetch(stale))) == 2
        # And a real UIDVALIDITY change made on the server.
        mailbox.close()
        dovecot.doveadm("mailbox", "update", "-u", account.name, "--uid-validity", str(cursor.uidvalidity + 7),
                        "INBOX")
        assert mailbox.cursor_state().uidvalidity == cursor.uidvalidity + 7
        assert len(list(mailbox.fetch(cursor))) == 2
    finally:
        mailbox.close()


def test_move_creates_folder_and_uses_real_move(account, dovecot):
    keep = _append(account, _raw(1, "keep"))
    moved = _append(account, _raw(2, "move"))
    # A message another client flagged \Deleted must survive our move: COPY + EXPUNGE would remove it.
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        box.client.uid("STORE", str(keep), "+FLAGS", r"(\Deleted)")
    mailbox = mailbox_from_url(account.url())
    try:
        mailbox.move(moved, "Processed")
        remaining = [i.uid for i in mailbox.fetch(None)]
        assert remaining == [keep]
    finally:
        mailbox.close()
    with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password) as box:
        box.folder.set("Processed")
        assert [m.subject for m in box.fetch(mark_seen=False)] == ["move 2"]


def test_idle_wakes_on_append(account):
    mailbox = mailbox_from_url(account.url())
    try:
        mailbox.cursor_state()  # connect and select first, so the APPEND happens during IDLE
        timer = threading.Timer(0.3, _append, args=(account, _raw(9)))
        started = time.monotonic()
        timer.start()
        try:
            assert mailbox.wait(timeout=10) is True
        finally:
            timer.join()
        assert time.monotonic() - started < 5  # Dovecot reports ~0.5 s after the APPEND
        assert len(list(mailbox.fetch(None))) == 1
    finally:
        mailbox.close()


def test_idle_times_out_quietly(account):
    mailbox = mailbox_from_url(account.url())
    try:
        assert mailbox.wait(timeout=0.3) is False
    finally:
        mailbox.close()


def test_reconnects_after_dropped_connection(account):
    _append(account, _raw(1))
    mailbox = mailbox_from_url(account.url())
    try:
        assert len(list(mailbox.fetch(None))) == 1
        mailbox._box.client.sock.close()  # the network drops the connection under us
        assert len(list(mailbox.fetch(None))) == 1
    finally:
        mailbox.close()


def test_wrong_password_is_a_clear_error(account):
    mailbox = mailbox_from_url(account.url().replace(account.password, "wrong"))
    with pytest.raises(MailboxError, match="login"):
        mailbox.cursor_state()
