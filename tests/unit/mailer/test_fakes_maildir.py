"""The test doubles and the Maildir drop folder behave like the real adapters."""

from __future__ import annotations

import asyncio
import mailbox as stdlib_mailbox

from mailer.fakes import InMemoryMailbox, RecordingSender
from mailer.mailbox import Cursor
from mailer.maildir_mailbox import MaildirMailbox
from mailer.sender import PermanentDeliveryError


def test_in_memory_mailbox_by_uid_and_uidvalidity():
    box = InMemoryMailbox(uidvalidity=7)
    first, second = box.add(b"Subject: 1\r\n\r\n1"), box.add(b"Subject: 2\r\n\r\n2")
    items = list(box.fetch(None))
    assert [i.uid for i in items] == [first, second]
    assert items[-1].cursor == Cursor(7, second) == box.cursor_state()
    assert list(box.fetch(items[-1].cursor)) == []
    assert box.wait(0) is True and box.wait(0) is False
    box.move(first, "Processed")
    assert box.messages("Processed") == [b"Subject: 1\r\n\r\n1"]
    box.reset_uidvalidity(8)
    assert len(list(box.fetch(Cursor(7, second)))) == 1  # stale cursor: everything again


def test_recording_sender_records_and_fails_on_request():
    sender = RecordingSender(fail_next=[PermanentDeliveryError(["x@y.nl"], 550, "no such user")])
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Message-ID"] = "<a@b>"
    try:
        asyncio.run(sender.send(msg, ["x@y.nl"]))
    except PermanentDeliveryError as exc:
        assert exc.recipients == ["x@y.nl"] and exc.code == 550
    asyncio.run(sender.send(msg, ["x@y.nl"]))
    assert [(s.message_id, s.recipients) for s in sender.sent] == [("<a@b>", ["x@y.nl"])]


def test_maildir_drop_folder(tmp_path):
    path = tmp_path / "inbox"
    box = MaildirMailbox(path)
    assert box.wait(0) is False
    drop = stdlib_mailbox.Maildir(path)
    drop.add(b"Subject: a\r\n\r\na")
    assert box.wait(1) is True
    items = list(box.fetch(None))
    assert [i.raw for i in items] == [b"Subject: a\r\n\r\na"] and items[0].cursor is None
    assert box.wait(0) is False  # nothing new since that fetch
    box.move(items[0].uid, "Processed")
    assert list(box.fetch(None)) == []
    moved = list((path / ".Processed" / "cur").iterdir())
    assert len(moved) == 1 and moved[0].read_bytes() == b"Subject: a\r\n\r\na"
