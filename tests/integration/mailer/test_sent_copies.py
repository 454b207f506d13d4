"""Sent copies against a real Dovecot and a real Maildir; the copy to self and the queue id over real SMTP."""

from __future__ import annotations

import asyncio

import pytest

from mailer.imap_mailbox import ImapMailbox
from mailer.maildir_mailbox import MaildirMailbox
from mailer.sender import SmtpSender, queue_id_from_reply
from mailer.sent_copies import sent_copies_for
from tests.integration.mailer.test_mailer_smtp import _letter

pytestmark = pytest.mark.integration


def _imap(account, folder="INBOX") -> ImapMailbox:
    return ImapMailbox(account.host, account.port, account.name, account.password, folder=folder)


def test_imap_append_creates_sent_and_find_searches_by_message_id(dovecot):
    account = dovecot.new_account("sent")
    copies = sent_copies_for(_imap(account), "Sent", ["INBOX", "Processed"])
    letter = _letter("inv-7/reminder")
    assert copies.find(str(letter["Message-ID"])) is None  # nothing yet, and missing folders are no error
    copies.append(letter.as_bytes())
    assert copies.find(str(letter["Message-ID"])) == "Sent"
    assert copies.find(str(_letter("inv-7/firm_reminder")["Message-ID"])) is None  # another id is not found


def test_imap_find_looks_in_the_inbox_too(dovecot):
    """The server's copy to self lands in INBOX before ingest files it: it proves the delivery there too."""
    account = dovecot.new_account("sent")
    letter = _letter("inv-8/reminder")
    sent_copies_for(_imap(account), "INBOX", []).append(letter.as_bytes())  # as the MTA delivers it
    assert sent_copies_for(_imap(account), "Sent", ["INBOX", "Processed"]).find(str(letter["Message-ID"])) == "INBOX"


def test_maildir_append_and_find(tmp_path):
    copies = sent_copies_for(MaildirMailbox(tmp_path / "inbox"), "Sent", ["INBOX", "Processed"])
    letter = _letter("inv-9/reminder")
    assert copies.find(str(letter["Message-ID"])) is None
    copies.append(letter.as_bytes())
    assert copies.find(str(letter["Message-ID"])) == "Sent"
    assert (tmp_path / "inbox" / ".Sent" / "cur").is_dir()


def test_copy_to_self_only_in_the_envelope_and_queue_id_recorded(fault_smtp):
    sender = SmtpSender(fault_smtp.host, fault_smtp.port, envelope_from="svc@example.test",
                        copy_to="svc+sent@example.test")
    receipt = asyncio.run(sender.send(_letter(), ["debtor@example.test"]))
    (accepted,) = fault_smtp.accepted
    assert accepted.rcpt_tos == ["debtor@example.test", "svc+sent@example.test"]
    assert b"svc+sent" not in accepted.raw  # never in a header
    assert receipt.queue_id == accepted.queue_id and receipt.accepted == ["debtor@example.test"]


def test_no_copy_to_self_when_every_real_recipient_is_refused(fault_smtp):
    fault_smtp.fault.recipient_replies["gone@example.test"] = ["550 5.1.1 no such user", 9]
    sender = SmtpSender(fault_smtp.host, fault_smtp.port, copy_to="svc+sent@example.test")
    with pytest.raises(Exception) as caught:
        asyncio.run(sender.send(_letter(), ["gone@example.test"]))
    assert [r.recipient for r in caught.value.refusals] == ["gone@example.test"]
    assert fault_smtp.accepted == []  # no DATA at all: a copy in our mailbox always means a real delivery


@pytest.mark.parametrize(("reply", "expected"), [
    ("2.0.0 Ok: queued as 4F3A1B2C3D", "4F3A1B2C3D"),
    ("OK id=1rABCD-000123-4X", "1rABCD-000123-4X"),
    ("2.6.0 <x@y> [InternalId=1234567, Hostname=AM0PR.eurprd.prod.outlook.com] Queued mail for delivery",
     "1234567"),
    ("2.0.0 OK  1767225600 a640c23a62f3a-ab7c1234esi1234567.123 - gsmtp", "a640c23a62f3a-ab7c1234esi1234567.123"),
    ("2.0.0 wB1ABCDe012345 Message accepted for delivery", "wB1ABCDe012345"),
    ("Ok 0100018c2f3e4a5b-1234abcd-5678-90ef-abcd-ef0123456789-000000",
     "0100018c2f3e4a5b-1234abcd-5678-90ef-abcd-ef0123456789-000000"),
    ("Message accepted", None),
])
def test_queue_id_from_the_final_reply(reply, expected):
    assert queue_id_from_reply(reply) == expected
