"""Hostile inputs for robustness tests and the benchmark: mail and document bombs, generated on the spot."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import make_msgid
from functools import cache

from tests.factories.invoice_xml import make_ubl
from tests.factories.mail import invoice_mail

SELLER = "billing@jansen.example"
SELLER_NAME = "Bakkerij Jansen"
CUSTOMER = "inkoop@klant.example"
_PAGE_TEXT = (b"BT /F1 12 Tf 72 770 Td (Bakkerij Jansen) Tj 0 -24 Td (Factuurnummer: %s) Tj "
              b"0 -18 Td (Factuurdatum: 13-12-2026) Tj 0 -18 Td (Vervaldatum: 12-01-2027) Tj "
              b"0 -18 Td (Totaal te betalen: EUR 121,00) Tj ET\n")


def _deflate(head: bytes, filler: int, chunk: bytes = b" " * (1 << 20)) -> bytes:
    """A zlib stream of `head` then `filler` bytes of `chunk`, built without ever compressing all of it.

    After a full flush deflate output is byte-aligned and forgets its history, so the compressed form of one
    chunk repeats verbatim; only the Adler-32 trailer needs every chunk."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    repeats = filler // len(chunk)
    checksum = zlib.adler32(head)
    for _ in range(repeats):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + start + block * repeats + packer.flush() + checksum.to_bytes(4, "big")


def _stream(data: bytes, extra: bytes = b"/Filter /FlateDecode") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_pdf(number: str = "2027-0300", *, pages: int = 1, content: bytes | None = None,
             catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A small invoice PDF: `pages` pages sharing one content stream (object 4)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 4 0 R >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog_extra,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        content or _stream(zlib.compress(_PAGE_TEXT % number.encode())),
        *[page] * pages,
        *extra_objects,
    ]
    return raw_pdf(objects)


@cache
def pdf_bomb(inflated_mb: int = 200) -> bytes:
    """A PDF whose one page stream inflates to `inflated_mb` MB (of spaces after the invoice text)."""
    return text_pdf(content=_stream(_deflate(_PAGE_TEXT % b"2027-0301", inflated_mb << 20)))


@cache
def pdf_bomb_behind_hex(inflated_mb: int = 1024) -> bytes:
    """The same bomb hex-encoded before deflating: only a PDF library (in the sandbox) ever inflates it."""
    hexed = _deflate(_PAGE_TEXT % b"2027-0302", inflated_mb << 20).hex().encode() + b">"
    return text_pdf(content=_stream(hexed, b"/Filter [/ASCIIHexDecode /FlateDecode]"))


@cache
def pdf_with_huge_embedded_file(embedded_mb: int = 1024) -> bytes:
    """A readable one-page invoice that also embeds a file inflating to `embedded_mb` MB."""
    pages = 1
    filespec, stream = 5 + pages, 6 + pages
    embedded = _deflate(b"", embedded_mb << 20, b"\0" * (1 << 20))
    return text_pdf("2027-0303", catalog_extra=b"/Names << /EmbeddedFiles << /Names [(big.xml) %d 0 R] >> >>"
                    % filespec, extra_objects=(
                        b"<< /Type /Filespec /F (big.xml) /UF (big.xml) /EF << /F %d 0 R >> >>" % stream,
                        _stream(embedded, b"/Type /EmbeddedFile /Filter /FlateDecode"),
                    ))


@cache
def pdf_of_pages(pages: int = 5000) -> bytes:
    return text_pdf("2027-0304", pages=pages)


def billion_laughs_ubl() -> bytes:
    entities = b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
    body = make_ubl(number="2027-0305").replace(b"Klant B.V.", b"&lol9;")
    head, _, rest = body.partition(b"\n")
    return head + b'\n<!DOCTYPE Invoice [\n<!ENTITY lol0 "lol">\n' + entities + b"]>\n" + rest


def xxe_ubl(path: str = "/etc/passwd") -> bytes:
    body = make_ubl(number="2027-0306").replace(b"Klant B.V.", b"&xxe;")
    head, _, rest = body.partition(b"\n")
    return head + b'\n<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file://%s">]>\n' % path.encode() + rest


def ubl_with_crlf_buyer(number: str = "2027-0307") -> bytes:
    """A UBL invoice whose buyer name carries CR LF and a would-be header (character references)."""
    return make_ubl(number=number, issue=date(2026, 12, 13), due=date(2027, 1, 12)).replace(
        b"Klant B.V.", b"Klant B.V.&#13;&#10;Bcc: evil@attacker.example")


def _mail(subject: str, attachments: list[tuple[str, str, bytes]], *, to: str = CUSTOMER, bcc: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{SELLER_NAME} <{SELLER}>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="jansen.example")
    msg["Delivered-To"] = bcc
    msg.set_content("Beste klant,\n\nIn de bijlage vindt u onze factuur.\n")
    for name, ctype, data in attachments:
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def with_attachment(subject: str, name: str, ctype: str, make: Callable[[], bytes]) -> Callable[[str], bytes]:
    """A mail builder with one attachment, made only when the mail is (bombs take a moment to build)."""
    return lambda bcc: _mail(subject, [(name, ctype, make())], bcc=bcc).as_bytes()


def huge_message(bcc: str, megabytes: int = 30) -> bytes:
    """An invoice mail padded with a random attachment to about `megabytes` MB on the wire."""
    noise = random.Random(7).randbytes(int(megabytes * 1024 * 1024 * 0.74))
    msg = _mail("Factuur 2027-0310", [("scan.bin", "application/octet-stream", noise)], bcc=bcc)
    return msg.as_bytes()


def many_attachments(bcc: str, count: int = 200) -> bytes:
    junk = [(f"junk-{i}.pdf", "application/pdf", b"%PDF-1.4 junk " + str(i).encode()) for i in range(count)]
    return _mail("Facturen", junk, bcc=bcc).as_bytes()


def nested_multipart(bcc: str, depth: int = 1000) -> bytes:
    head = (f"From: {SELLER_NAME} <{SELLER}>\r\nTo: {CUSTOMER}\r\nDelivered-To: {bcc}\r\n"
            f"Subject: Factuur 2027-0311\r\nMessage-ID: {make_msgid(domain='jansen.example')}\r\n"
            "MIME-Version: 1.0\r\n")
    opening = "".join(f"Content-Type: multipart/mixed; boundary=\"level{i}\"\r\n\r\n--level{i}\r\n"
                      for i in range(depth))
    closing = "".join(f"--level{i}--\r\n" for i in reversed(range(depth)))
    return (head + opening + "Content-Type: text/plain\r\n\r\ndeep\r\n" + closing).encode()


def encoded_word_bomb(bcc: str, words: int = 100_000) -> bytes:
    """About 2 MB of Subject made of `words` RFC 2047 encoded-words, folded into legal lines."""
    lines = ["=?utf-8?q?F=C3=A4ctuur?= " * 5] * (words // 5)
    subject = "\r\n ".join(line.rstrip() for line in lines)
    return (f"From: {SELLER_NAME} <{SELLER}>\r\nTo: {CUSTOMER}\r\nDelivered-To: {bcc}\r\n"
            f"Subject: {subject}\r\nMessage-ID: {make_msgid(domain='jansen.example')}\r\n\r\nzie bijlage\r\n"
            ).encode()


def non_utf8_headers(bcc: str) -> bytes:
    """An invoice mail whose From name and Subject are raw Windows-1252 bytes (with a NUL), no encoded-words."""
    valid = invoice_mail(seller_name=SELLER_NAME, seller_email=SELLER, to=CUSTOMER, bcc=bcc, number="2027-0312",
                         issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="121.00", buyer_name="Klant B.V.")
    head, sep, body = valid.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.startswith((b"From:", b"Subject:"))]
    lines[:0] = [b"From: B\xe4kkerij J\xe4nsen <" + SELLER.encode() + b">",
                 b"Subject: Factuur 2027-0312 \x80 121,00 \xe9t\xe9\x00"]
    return b"\n".join(lines) + sep + body


def traversal_names(bcc: str) -> bytes:
    """A junk 'PDF' whose name climbs out of any folder it might be saved in."""
    return _mail("Factuur", [("../../../etc/cron.d/evil.pdf", "application/pdf", b"%PDF-1.4 not really")],
                 bcc=bcc).as_bytes()


def valid_invoice(bcc: str, number: str = "2027-0400") -> bytes:
    return invoice_mail(seller_name=SELLER_NAME, seller_email=SELLER, to=CUSTOMER, bcc=bcc, number=number,
                        issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="121.00", buyer_name="Klant B.V.")


@dataclass(frozen=True)
class HostileCase:
    """One hostile input: how to build the mail, and the words its quarantine reason must contain."""

    name: str
    build: Callable[[str], bytes]
    expect: str  # "quarantined" or "processed"
    reason: str | None  # a fragment of the quarantine reason


MAIL_CASES = [
    HostileCase("30 MB message", huge_message, "quarantined", "the limit is 25 MB"),
    HostileCase("200 attachments", many_attachments, "quarantined", "200 attachments"),
    HostileCase("1,000-level nested multipart", nested_multipart, "quarantined", "more than 30 levels deep"),
    HostileCase("encoded-word bomb (100,000 words)", encoded_word_bomb, "quarantined", "encoded words"),
    HostileCase("non-UTF-8 headers with NUL", non_utf8_headers, "processed", None),
    HostileCase("PDF decompression bomb (200 MB stream)", with_attachment(
        "Factuur 2027-0301", "factuur-2027-0301.pdf", "application/pdf", pdf_bomb), "quarantined",
        "unpacks to more than 64 MB"),
    HostileCase("PDF bomb behind a second filter, 1 GB (sandbox)", with_attachment(
        "Factuur 2027-0302", "factuur-2027-0302.pdf", "application/pdf", pdf_bomb_behind_hex), "quarantined",
        "needs more memory"),
    HostileCase("PDF with a 1 GB embedded file", with_attachment(
        "Factuur 2027-0303", "factuur-2027-0303.pdf", "application/pdf", pdf_with_huge_embedded_file),
        "processed", None),
    HostileCase("5,000-page PDF", with_attachment(
        "Factuur 2027-0304", "factuur-2027-0304.pdf", "application/pdf", pdf_of_pages), "quarantined",
        "has 5000 pages"),
    HostileCase("billion-laughs UBL", with_attachment(
        "Factuur 2027-0305", "factuur-2027-0305.xml", "application/xml", billion_laughs_ubl), "quarantined",
        "<!DOCTYPE>"),
    HostileCase("XXE UBL (file:///etc/passwd)", with_attachment(
        "Factuur 2027-0306", "factuur-2027-0306.xml", "application/xml", xxe_ubl), "quarantined", "<!DOCTYPE>"),
    HostileCase("attachment named ../../../etc/cron.d/evil.pdf", traversal_names, "quarantined", "evil.pdf"),
]
