"""Which inbound message is our own sent copy, and which address the copy to self goes to."""

import pytest

from mailer.sent_copies import InMemorySentCopies, is_sent_copy
from worker.config import Settings

COPY = "invoices+sent@service.test"


@pytest.mark.parametrize(("message_id", "delivered_to", "expected"), [
    ("<b1.d1.i1.reminder@service.test>", [COPY], True),
    ("<b1.d1.i1.reminder@SERVICE.test>", ["Invoices+Sent@service.test"], True),
    ("<b1.d1.i1.reminder@service.test>", ["invoices@service.test"], False),  # ours, but not via the copy address
    ("<abc@debtor.example>", [COPY], False),  # someone else's message sent to the copy address
    (None, [COPY], False),
])
def test_is_sent_copy(message_id, delivered_to, expected):
    assert is_sent_copy(message_id, delivered_to, "service.test", COPY) is expected


def test_no_copy_address_means_nothing_is_a_sent_copy():
    assert not is_sent_copy("<x@service.test>", [COPY], "service.test", None)


@pytest.mark.parametrize(("setting", "expected"), [
    ("auto", "invoices+sent@service.test"), ("off", None), ("", None), ("copies@service.test", "copies@service.test"),
])
def test_sent_copy_address_setting(setting, expected):
    settings = Settings(service_address="invoices+tag@service.test", sent_copy_address=setting)
    assert settings.effective_sent_copy_address == expected


def test_in_memory_fake_finds_by_message_id():
    copies = InMemorySentCopies()
    assert copies.find("<a@x>") is None
    copies.append(b"Message-ID: <a@x>\r\n\r\nbody\r\n")
    assert copies.find("<a@x>") == "Sent" and copies.find("<b@x>") is None
