"""Generators of awkward documents for parser tests: encrypted, scanned, non-invoice and Factur-X PDFs."""

from __future__ import annotations

import io
import zlib

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def make_encrypted_pdf(user_password: str = "geheim") -> bytes:
    """A one-page invoice-like PDF that needs a password to open."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1,
                        encrypt=StandardEncryption(user_password, "owner-" + user_password))
    pdf.drawString(72, 750, "Factuurnummer: 2025-001   Te betalen: € 121,00")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf() -> bytes:
    """An image-only PDF, as a scanner produces: one page holding a picture and no text layer."""
    image = Image.new("RGB", (200, 280), "white")
    for x in range(20, 180):
        image.putpixel((x, 40), (0, 0, 0))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_letter_pdf() -> bytes:
    """A PDF with text that is not an invoice (a newsletter)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for i, line in enumerate(["Nieuwsbrief voorjaar", "Beste relatie,", "Wij verhuizen naar een nieuw kantoor.",
                              "Met vriendelijke groet, het team"]):
        pdf.drawString(72, 750 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_pdf_with_attachment(page_text: str, attachment_name: str, attachment: bytes) -> bytes:
    """A hand-built one-page PDF that embeds a file (as Factur-X / ZUGFeRD do) in its EmbeddedFiles tree."""
    stream = f"BT /F1 12 Tf 72 750 Td ({page_text}) Tj ET".encode("latin-1")
    packed = zlib.compress(attachment)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(" + attachment_name.encode()
        + b") 6 0 R] >> >> /AF [6 0 R] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Filespec /F (" + attachment_name.encode() + b") /UF (" + attachment_name.encode()
        + b") /AFRelationship /Data /EF << /F 7 0 R >> >>",
        b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length "
        + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
