"""Message-IDs, outgoing MIME, reply tokens and URL parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mailer.compose import build_message, make_message_id
from mailer.imap_mailbox import ImapMailbox
from mailer.maildir_mailbox import MaildirMailbox
from mailer.message import parse_message
from mailer.reply_token import reply_address, tokens_in
from mailer.sender import FileSender, SmtpSender
from mailer.urls import mailbox_from_url, redact_url, sender_from_url


def test_message_id_is_deterministic_and_sanitised():
    assert make_message_id("inv-7.step-2", "Shop.Example") == "<inv-7.step-2@shop.example>"
    a, b = make_message_id("inv 7/step:2", "x.nl"), make_message_id("inv 7/step 2", "x.nl")
    assert a == make_message_id("inv 7/step:2", "x.nl") and a != b
    assert " " not in a and "/" not in a and a.startswith("<inv-7-step-2.")
    with pytest.raises(ValueError):
        make_message_id("", "x.nl")


def test_build_message_headers_and_attachment():
    when = datetime(2027, 1, 31, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    msg = build_message(
        from_address="facturen@shop.nl", from_name="Shop, B.V.", to="klant@debiteur.nl",
        cc=["boekhouding@debiteur.nl"], reply_to="invoices+t1@dunning.example",
        subject="Betalingsherinnering factuur 2027-001", text="Geachte heer/mevrouw,\n\nBedrag: € 121,00\n",
        message_id="<inv-1.step-1@shop.nl>", date=when,
        attachments=[("herinnering.pdf", "application/pdf", b"%PDF")], headers={"X-Dunning-Step": "reminder"},
    )
    assert msg["Date"] == "Sun, 31 Jan 2027 09:30:00 +0100"
    assert msg["Auto-Submitted"] is None
    parsed = parse_message(msg.as_bytes())
    assert parsed.from_name == "Shop, B.V." and parsed.to == ["klant@debiteur.nl"]
    assert parsed.cc == ["boekhouding@debiteur.nl"]
    assert parsed.header("reply-to") == "invoices+t1@dunning.example"
    assert parsed.header("x-dunning-step") == "reminder"
    assert "€ 121,00" in parsed.text
    assert parsed.attachments[0].filename == "herinnering.pdf"
    assert all(b < 128 for b in msg.as_bytes().split(b"\n\n", 1)[1][:400])  # 7-bit body


def test_build_message_refuses_naive_date():
    with pytest.raises(ValueError):
        build_message(from_address="a@b.nl", from_name=None, to="c@d.nl", subject="s", text="t",
                      message_id="<x@y>", date=datetime(2027, 1, 1))
    assert build_message(from_address="a@b.nl", from_name=None, to="c@d.nl", subject="s", text="t",
                         message_id="<x@y>", date=datetime(2027, 1, 1, tzinfo=UTC))["From"] == "a@b.nl"


def test_reply_tokens_round_trip():
    addr = reply_address("invoices@example.com", "INV7k2")
    assert addr == "invoices+inv7k2@example.com"
    assert reply_address("invoices+old@example.com", "new") == "invoices+new@example.com"
    assert tokens_in(["Jan <jan@debtor.nl>", "Invoices <INVOICES+Inv7K2@example.com>", addr]) == ["inv7k2"]
    assert tokens_in(["jan+private@debtor.nl", addr], mailbox_address="invoices@example.com") == ["inv7k2"]
    with pytest.raises(ValueError):
        reply_address("invoices@example.com", "bad token!")
    with pytest.raises(ValueError):
        reply_address("not-an-address", "tok")


def test_urls(tmp_path):
    box = mailbox_from_url("imaps://user%40corp:p%40ss%3Aw@imap.corp.example/Archief%2FIn?poll_interval=5")
    assert isinstance(box, ImapMailbox)
    assert (box.host, box.port, box.username, box._password) == ("imap.corp.example", 993, "user@corp", "p@ss:w")
    assert box.folder == "Archief/In" and box.security == "ssl" and box.poll_interval == 5
    assert mailbox_from_url("imap+starttls://u:p@h").security == "starttls"
    assert mailbox_from_url("imap://u:p@h:1143").port == 1143
    assert isinstance(mailbox_from_url(f"maildir://{tmp_path}/in"), MaildirMailbox)
    smtp = sender_from_url("smtp+starttls://me:s%2Fecret@smtp.example:2525")
    assert isinstance(smtp, SmtpSender) and (smtp.port, smtp.password, smtp.security) == (2525, "s/ecret", "starttls")
    assert sender_from_url("smtps://smtp.example").port == 465
    assert isinstance(sender_from_url(f"file://{tmp_path}/out"), FileSender)
    assert redact_url("imap://u:secret@h/INBOX") == "imap://u:***@h/INBOX"


@pytest.mark.parametrize(
    "url",
    ["pop3://u:p@h", "imap://h/INBOX", "imap://u:p@h:port/", "maildir://relative/x", "file:relative",
     "smtp://h/path", "smtp:///", "imap://u:p@h/?poll=1"],
)
def test_bad_urls_raise_clear_value_errors(url):
    with pytest.raises(ValueError) as caught:
        mailbox_from_url(url) if url.startswith(("pop3", "imap", "maildir")) else sender_from_url(url)
    assert "secret" not in str(caught.value)
