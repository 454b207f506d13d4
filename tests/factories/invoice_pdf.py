"""Render a realistic one-page invoice PDF (Dutch or English) with reportlab, for tests."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

_CENT = Decimal("0.01")
_VAT_RATE = Decimal("0.21")

_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}

_LABELS = {
    "nl": {
        "title": "FACTUUR", "number": "Factuurnummer", "date": "Factuurdatum", "due": "Vervaldatum",
        "customer": "Factuur aan", "contact": "E-mail", "general": "Algemeen", "desc": "Omschrijving",
        "qty": "Aantal", "price": "Prijs", "amount": "Bedrag", "subtotal": "Subtotaal excl. btw",
        "vat": "Btw 21%", "total": "Totaal incl. btw", "pay": "Te betalen",
        "terms": "Betaling binnen {n} dagen na factuurdatum",
        "pay_to": "Gelieve het bedrag over te maken op {iban} onder vermelding van het factuurnummer.",
        "line": "Werkzaamheden volgens afspraak", "kvk": "KvK", "vat_id": "Btw-nr", "iban": "IBAN",
    },
    "en": {
        "title": "INVOICE", "number": "Invoice number", "date": "Invoice date", "due": "Due date",
        "customer": "Bill to", "contact": "Email", "general": "General", "desc": "Description",
        "qty": "Qty", "price": "Unit price", "amount": "Amount", "subtotal": "Subtotal excl. VAT",
        "vat": "VAT 21%", "total": "Total incl. VAT", "pay": "Amount due",
        "terms": "Payment terms: net {n} days",
        "pay_to": "Please transfer the amount to {iban} quoting the invoice number.",
        "line": "Services as agreed", "kvk": "Chamber of Commerce", "vat_id": "VAT no.", "iban": "IBAN",
    },
}


def format_amount(value: Decimal, currency: str, language: str) -> str:
    """Format a money amount the way the language prints it (`€ 1.234,56` / `€1,234.56`)."""
    quantized = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    whole, frac = f"{abs(quantized):.2f}".split(".")
    groups = f"{int(whole):,}"
    symbol = "€" if currency == "EUR" else currency
    if language == "nl":
        return f"{sign}{symbol} {groups.replace(',', '.')},{frac}"
    return f"{sign}{symbol}{groups}.{frac}" if symbol == "€" else f"{sign}{symbol} {groups}.{frac}"


def format_date(value: date, language: str) -> str:
    """Format a date as a Dutch (`7 maart 2025`) or English (`7 March 2025`) written date."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


def split_amount(amount_due: Decimal) -> tuple[Decimal, Decimal]:
    """Split an amount incl. 21% VAT into (excl. VAT, VAT)."""
    excl = (amount_due / (1 + _VAT_RATE)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return excl, amount_due - excl


def make_invoice_pdf(
    *,
    number: str,
    issue_date: date,
    due_date: date | None,
    amount_due: Decimal,
    currency: str = "EUR",
    seller_name: str,
    seller_email: str,
    buyer_name: str,
    buyer_email: str | None,
    buyer_general_email: str | None = None,
    language: str = "nl",
    terms_days: int | None = None,
    seller_vat_id: str | None = None,
    seller_kvk: str | None = None,
    seller_iban: str | None = None,
) -> bytes:
    """Return the bytes of a one-page invoice PDF with the given facts (amounts incl. 21% VAT)."""
    if language not in _LABELS:
        raise ValueError(f"language must be one of {sorted(_LABELS)}")
    labels = _LABELS[language]
    excl, vat = split_amount(amount_due)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(f"{labels['title'].title()} {number}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm

    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, height - 25 * mm, seller_name)
    pdf.setFont("Helvetica", 9)
    seller_lines = ["Keizersgracht 100", "1015 AA Amsterdam", seller_email]
    if seller_kvk:
        seller_lines.append(f"{labels['kvk']}: {seller_kvk}")
    if seller_vat_id:
        seller_lines.append(f"{labels['vat_id']}: {seller_vat_id}")
    if seller_iban:
        seller_lines.append(f"{labels['iban']}: {seller_iban}")
    y = height - 25 * mm
    for line in seller_lines:
        pdf.drawRightString(right, y, line)
        y -= 4.5 * mm

    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(left, height - 70 * mm, labels["title"])

    pdf.setFont("Helvetica-Bold", 9)
    y = height - 82 * mm
    pdf.drawString(left, y, labels["customer"])
    pdf.setFont("Helvetica", 9)
    buyer_lines = [buyer_name, "Stationsplein 1", "3511 ED Utrecht"]
    if buyer_email:
        buyer_lines.append(f"{labels['contact']}: {buyer_email}")
    if buyer_general_email:
        buyer_lines.append(f"{labels['general']}: {buyer_general_email}")
    for line in buyer_lines:
        y -= 4.5 * mm
        pdf.drawString(left, y, line)

    meta = [(labels["number"], number), (labels["date"], format_date(issue_date, language))]
    if due_date is not None:
        meta.append((labels["due"], format_date(due_date, language)))
    y = height - 82 * mm
    for label, value in meta:
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(120 * mm, y, f"{label}:")
        pdf.setFont("Helvetica", 9)
        pdf.drawString(155 * mm, y, value)
        y -= 4.5 * mm

    y = height - 125 * mm
    pdf.setFont("Helvetica-Bold", 9)
    columns = [(left, labels["desc"], False), (120 * mm, labels["qty"], True),
               (150 * mm, labels["price"], True), (right, labels["amount"], True)]
    for x, text, align_right in columns:
        (pdf.drawRightString if align_right else pdf.drawString)(x, y, text)
    pdf.line(left, y - 2 * mm, right, y - 2 * mm)
    y -= 7 * mm
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, y, labels["line"])
    pdf.drawRightString(120 * mm, y, "1")
    pdf.drawRightString(150 * mm, y, format_amount(excl, currency, language))
    pdf.drawRightString(right, y, format_amount(excl, currency, language))

    y -= 15 * mm
    totals = [(labels["subtotal"], excl), (labels["vat"], vat), (labels["total"], amount_due)]
    for label, value in totals:
        pdf.drawString(120 * mm, y, label)
        pdf.drawRightString(right, y, format_amount(value, currency, language))
        y -= 5 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(120 * mm, y, labels["pay"])
    pdf.drawRightString(right, y, format_amount(amount_due, currency, language))

    pdf.setFont("Helvetica", 9)
    y -= 20 * mm
    if terms_days is not None:
        pdf.drawString(left, y, labels["terms"].format(n=terms_days))
        y -= 5 * mm
    if seller_iban:
        pdf.drawString(left, y, labels["pay_to"].format(iban=seller_iban))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
