"""parse_message and message_key on hand-made and real (corpus) messages."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from mailer.message import MalformedMessage, message_key, parse_message

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "emails"  # ../shared from the repo root


def test_rfc2047_headers_charsets_and_bcc_recipient():
    raw = (
        b"Delivered-To: invoices+shop1@dunning.example\r\n"
        b"X-Original-To: invoices@dunning.example\r\n"
        b"From: =?iso-8859-1?q?J=F6rg_M=FCller?= <jorg@example.de>\r\n"
        b"To: klant@example.nl\r\nCc: boek@example.nl\r\n"
        b"Subject: =?utf-8?b?RmFjdHV1ciDigqwgMTIxLDAw?=\r\n"
        b"Message-ID:   <Abc@Example.COM>  \r\n"
        b"In-Reply-To: <prev@x>\r\nReferences: <a@x> <b@x>\r\n"
        b"Date: Tue, 5 Jan 2027 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Gr=FC=DFe\r\n"
    )
    msg = parse_message(raw)
    assert msg.from_name == "Jörg Müller" and msg.from_address == "jorg@example.de"
    assert msg.subject == "Factuur € 121,00"
    assert msg.text.strip() == "Grüße"
    assert msg.delivered_to == ["invoices+shop1@dunning.example", "invoices@dunning.example"]
    assert msg.to == ["klant@example.nl"] and msg.cc == ["boek@example.nl"]
    assert msg.message_id == "<Abc@Example.COM>" and msg.in_reply_to == "<prev@x>"
    assert msg.references == ["<a@x>", "<b@x>"]
    assert msg.date is not None and msg.date.utcoffset().total_seconds() == 3600
    assert msg.header("x-original-to") == "invoices@dunning.example"


def test_html_only_becomes_text():
    raw = (
        b"From: a@b.nl\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{}</style></head><body><p>Wij betalen&nbsp;morgen.</p><p>Groet<br>Jan</p>"
        b"</body></html>"
    )
    msg = parse_message(raw)
    assert msg.text.split() == "Wij betalen morgen. Groet Jan".split() and "Groet\nJan" in msg.text
    assert msg.html and "<p>" in msg.html


def _pdf_mail(content_type: str, nested: bool = False) -> bytes:
    pdf = base64.b64encode(b"%PDF-1.4 fake").decode()
    part = (
        f"--B\r\nContent-Type: {content_type}; name=\"factuur-12.pdf\"\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--B--\r\n"
    )
    inner = f"From: x@y.nl\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n{part}"
    if nested:
        body = (
            "--O\r\nContent-Type: text/plain\r\n\r\nForwarded invoice\r\n"
            f"--O\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--O--\r\n"
        )
        return ("From: a@b.nl\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary=O\r\n\r\n" + body).encode()
    return inner.encode()


def test_octet_stream_pdf_is_recognised_by_filename():
    msg = parse_message(_pdf_mail("application/octet-stream"))
    [att] = msg.attachments
    assert att.filename == "factuur-12.pdf" and att.content_type == "application/pdf"
    assert att.data == b"%PDF-1.4 fake"


def test_nested_message_attachments_are_found():
    msg = parse_message(_pdf_mail("application/pdf", nested=True))
    names = [a.filename for a in msg.attachments]
    assert "factuur-12.pdf" in names and any(a.content_type == "message/rfc822" for a in msg.attachments)
    assert msg.text == "Forwarded invoice"


def test_broken_boundary_still_gives_text():
    raw = (
        b"From: a@b.nl\r\nSubject: x\r\nContent-Type: multipart/alternative; boundary=MISSING\r\n\r\n"
        b"Ik betaal volgende week.\r\n"
    )
    assert "Ik betaal volgende week." in parse_message(raw).text


def test_nothing_usable_raises():
    with pytest.raises(MalformedMessage):
        parse_message(b"")
    with pytest.raises(MalformedMessage):
        parse_message(b"\r\n\r\n   \r\n")


def test_message_key_prefers_message_id_then_hash():
    assert message_key(b"Message-ID: <x@y>\r\n\r\nhi") == "<x@y>"
    assert message_key(b"Message-Id:  x@y \r\n\r\nhi") == "<x@y>"
    key = message_key(b"Subject: none\r\n\r\nhi")
    assert key.startswith("sha256:") and len(key) == 7 + 64
    assert key == message_key(b"Subject: none\r\n\r\nhi") != message_key(b"Subject: none\r\n\r\nho")


def test_every_corpus_message_parses():
    files = sorted(CORPUS.glob("*.eml"))
    assert len(files) > 200
    empty = []
    for path in files:
        msg = parse_message(path.read_bytes())
        if not msg.text.strip() and not msg.attachments:
            empty.append(path.name)
    assert empty == []
