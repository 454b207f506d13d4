"""Generated Dutch and Belgian layouts (accounting package, Word, spreadsheet, two columns, Belgian, credit note)."""

import json
import sys
from pathlib import Path

import pytest

from parsers.invoice import parse_invoice_document
from tests.factories.nl_layouts import LAYOUTS, cases
from tests.factories.write_invoice_cases import write_cases

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from eval_invoices import HEADLINE, same  # noqa: E402


def test_generated_layouts_reach_97_percent_per_headline_field(tmp_path):
    written = write_cases(tmp_path, count=10, per_layout=3)
    assert written == 10 + 3 * len(LAYOUTS)
    right = dict.fromkeys(HEADLINE, 0)
    pdfs = sorted(tmp_path.glob("*.pdf"))
    for pdf in pdfs:
        truth = json.loads(pdf.with_suffix(".truth.json").read_text())
        got = parse_invoice_document(pdf.read_bytes(), pdf.name).to_json()
        for field in HEADLINE:
            right[field] += same(field, truth[field], got[field])
    for field in HEADLINE:
        assert right[field] / len(pdfs) >= 0.97, (field, right[field], len(pdfs))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_reads_its_buyer_email_and_sign(layout):
    name, pdf, truth = next(c for c in cases(per_layout=1) if c[0].startswith(f"nl_{layout}_"))
    invoice = parse_invoice_document(pdf, f"{name}.pdf")
    assert invoice.buyer.email == truth["buyer_email"]
    assert invoice.is_credit_note is (layout == "credit")
    assert (invoice.amount_due < 0) is (layout == "credit")
