"""Build small .docx templates in tests, the way Word saves them (including placeholders split over runs)."""

from __future__ import annotations

import io

from docx import Document


def make_docx(*paragraphs: str | list[str], title: str = "Herinnering {{ invoices[0].number }}",
              header: str | None = None) -> bytes:
    """Each paragraph is a string (one run) or a list of strings (one run each, as Word splits text)."""
    doc = Document()
    for paragraph in paragraphs:
        p = doc.add_paragraph()
        for run in [paragraph] if isinstance(paragraph, str) else paragraph:
            p.add_run(run)
    if header is not None:
        doc.sections[0].header.paragraphs[0].add_run(header)
    doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def reminder_docx(*extra: str | list[str]) -> bytes:
    """A minimal valid reminder: everything a reminder must show, plus `extra` paragraphs."""
    return make_docx(
        "Geachte {{ debtor.contact_name }},",
        *extra,
        "{% for invoice in invoices %}{{ invoice.number }} {{ invoice.open_amount|money(currency) }}{% endfor %}",
        "Totaal {{ total_open|money(currency) }} op {{ payment.iban }} o.v.v. {{ payment.reference }}",
    )
