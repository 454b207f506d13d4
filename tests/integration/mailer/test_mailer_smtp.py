"""SmtpSender against a real (aiosmtpd) SMTP server, and FileSender on disk."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime

import pytest

from mailer.compose import build_message, make_message_id
from mailer.message import parse_message
from mailer.sender import FileSender, PermanentDeliveryError, SmtpSender, TransientDeliveryError
from mailer.urls import sender_from_url

pytestmark = pytest.mark.integration

NOW = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)


def _letter(key: str = "inv-1/step-1", to: str = "debtor@example.test", cc=None):
    return build_message(
        from_address="invoices@shop.example",
        from_name="Shop B.V.",
        to=[to],
        cc=cc,
        reply_to="invoices+tok1@shop.example",
        subject="Herinnering factuur 2027-001",
        text="Beste klant,\n\nFactuur 2027-001 staat nog open: € 121,00.\n",
        message_id=make_message_id(key, "shop.example"),
        date=NOW,
        attachments=[("herinnering.pdf", "application/pdf", b"%PDF-1.4 test")],
    )


@pytest.fixture
def smtp(smtp_server):
    smtp_server.clear()
    yield smtp_server
    smtp_server.clear()


def test_send_reaches_the_server_intact(smtp):
    sender = sender_from_url(smtp.url, envelope_from="bounces@shop.example")
    message = _letter(cc=["boss@example.test"])
    asyncio.run(sender.send(message, ["debtor@example.test", "boss@example.test"]))
    [received] = smtp.wait_for(1)
    assert received.mail_from == "bounces@shop.example"
    assert received.rcpt_tos == ["debtor@example.test", "boss@example.test"]
    parsed = parse_message(received.raw)
    assert parsed.message_id == str(message["Message-ID"])
    assert parsed.subject == "Herinnering factuur 2027-001"
    assert "€ 121,00" in parsed.text
    assert [a.filename for a in parsed.attachments] == ["herinnering.pdf"]
    assert parsed.attachments[0].data == b"%PDF-1.4 test"


def test_refused_recipient_is_permanent_with_code(smtp):
    smtp.reject["gone@example.test"] = "550 5.1.1 <gone@example.test>: Recipient address rejected"
    sender = SmtpSender(smtp.host, smtp.port)
    with pytest.raises(PermanentDeliveryError) as caught:
        asyncio.run(sender.send(_letter(to="gone@example.test"), ["gone@example.test"]))
    assert caught.value.recipients == ["gone@example.test"]
    assert caught.value.code == 550
    assert "rejected" in caught.value.message
    assert smtp.messages == []


def test_partly_refused_names_the_accepted_recipients(smtp):
    smtp.reject["gone@example.test"] = "550 5.1.1 no such user"
    sender = SmtpSender(smtp.host, smtp.port)
    with pytest.raises(PermanentDeliveryError) as caught:
        asyncio.run(sender.send(_letter(), ["debtor@example.test", "gone@example.test"]))
    assert caught.value.recipients == ["gone@example.test"]
    assert caught.value.accepted == ["debtor@example.test"]
    assert smtp.wait_for(1)[0].rcpt_tos == ["debtor@example.test"]


def test_greylisting_is_transient(smtp):
    smtp.reject["later@example.test"] = "451 4.7.1 Greylisted, try again"
    with pytest.raises(TransientDeliveryError) as caught:
        asyncio.run(SmtpSender(smtp.host, smtp.port).send(_letter(), ["later@example.test"]))
    assert caught.value.code == 451


def test_connection_refused_is_transient():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TransientDeliveryError):
        asyncio.run(SmtpSender("127.0.0.1", port, timeout=5).send(_letter(), ["debtor@example.test"]))


def test_file_sender_writes_once_per_message_id(tmp_path):
    sender = FileSender(tmp_path / "outbox")
    message = _letter()
    asyncio.run(sender.send(message, ["debtor@example.test"]))
    asyncio.run(sender.send(_letter(), ["debtor@example.test"]))  # same key -> same Message-ID
    files = sorted((tmp_path / "outbox").iterdir())
    assert len(files) == 1 and files[0].name.endswith("@shop.example.eml")
    parsed = parse_message(files[0].read_bytes())
    assert parsed.message_id == str(message["Message-ID"])
    assert parsed.delivered_to == ["debtor@example.test"]
    asyncio.run(sender.send(_letter("inv-2/step-1"), ["debtor@example.test"]))
    assert len([f for f in (tmp_path / "outbox").iterdir() if not f.name.startswith(".")]) == 2
    assert not [f for f in (tmp_path / "outbox").iterdir() if f.name.startswith(".tmp")]
