"""parse_message refuses hostile structures with a reason before the stdlib parser works on them."""

from __future__ import annotations

import pytest

from mailer.compose import build_message
from mailer.message import MalformedMessage, parse_message, safe_filename
from mailer.mime_limits import MAX_ATTACHMENTS, MAX_MIME_DEPTH
from tests.factories import hostile

BCC = "invoices@dunning.example"


def _reason(raw: bytes) -> str:
    with pytest.raises(MalformedMessage) as refused:
        parse_message(raw)
    return refused.value.reason


def test_a_message_over_25_mb_is_refused_with_its_size():
    assert _reason(hostile.huge_message(BCC)).startswith("the message is 30.0 MB; the limit is 25 MB")


def test_nesting_is_measured_without_recursion_and_refused_past_the_limit():
    assert "more than 30 levels deep" in _reason(hostile.nested_multipart(BCC, depth=1000))
    assert parse_message(hostile.nested_multipart(BCC, depth=MAX_MIME_DEPTH)).text == "deep"


def test_too_many_attachments_are_refused_not_read_one_by_one():
    assert "200 attachments" in _reason(hostile.many_attachments(BCC, 200))
    assert len(parse_message(hostile.many_attachments(BCC, MAX_ATTACHMENTS)).attachments) == MAX_ATTACHMENTS


def test_an_encoded_word_bomb_is_refused_before_decoding():
    assert "encoded words" in _reason(hostile.encoded_word_bomb(BCC))


def test_a_huge_plain_header_is_refused():
    raw = b"From: a@b.nl\r\nSubject: " + b"word " * 100_000 + b"\r\n\r\nbody\r\n"
    assert "header is over 256 KB" in _reason(raw)


def test_raw_8bit_headers_are_read_as_windows_1252_and_nul_is_dropped():
    mail = parse_message(hostile.non_utf8_headers(BCC))
    assert mail.subject == "Factuur 2027-0312 € 121,00 été"
    assert mail.from_name == "Bäkkerij Jänsen" and mail.from_address == hostile.SELLER


@pytest.mark.parametrize("name, shown", [
    ("../../../etc/cron.d/evil.pdf", "evil.pdf"), ("C:\\Windows\\evil.pdf", "evil.pdf"),
    ("fac\x00tuur\r\n.pdf", "fac tuur .pdf"), ("..", None), ("/", None), ("factuur 1.pdf", "factuur 1.pdf"),
])
def test_attachment_names_lose_their_path_and_control_characters(name, shown):
    assert safe_filename(name) == shown


def test_parsed_attachment_names_have_no_path():
    assert [a.filename for a in parse_message(hostile.traversal_names(BCC)).attachments] == ["evil.pdf"]


def test_composed_headers_fold_line_breaks_from_names_and_subjects():
    from datetime import UTC, datetime

    msg = build_message(from_address="a@b.nl", from_name="Jansen\r\nBcc: evil@x.example", to="c@d.nl",
                        subject="Herinnering Klant\r\nBcc: evil@x.example", text="t", message_id="<1@x>",
                        date=datetime(2027, 1, 1, tzinfo=UTC))
    raw = msg.as_bytes()
    assert b"\nBcc:" not in raw and msg["Subject"] == "Herinnering Klant Bcc: evil@x.example"
