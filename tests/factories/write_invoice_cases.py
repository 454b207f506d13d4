"""Write labelled invoice cases (NAME.pdf + NAME.truth.json) from the PDF factories into a folder.

Usage: python -m tests.factories.write_invoice_cases OUT_DIR [--count N] [--per-layout N]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tests.factories.invoice_pdf import make_invoice_pdf
from tests.factories.nl_layouts import cases as layout_cases

SELLERS = [("Bakkerij De Molen B.V.", "facturen@demolen.nl", "NL000099998B57", "12345678"),
           ("Schildersbedrijf Jansen V.O.F.", "info@jansen-schilders.nl", None, "87654321"),
           ("Brouwerij Het Anker BVBA", "boekhouding@hetanker.be", "BE0403170701", None)]
BUYERS = [("Café Het Hoekje", "jan@hoekje.nl", "info@hoekje.nl"), ("Kapsalon Knip B.V.", "els@knip.nl", None),
          ("Garage De Ridder", None, "administratie@deridder.be")]


def case(rng: random.Random, index: int) -> tuple[bytes, dict]:
    """One random but reproducible invoice and its truth record."""
    seller, buyer = rng.choice(SELLERS), rng.choice(BUYERS)
    language = rng.choice(["nl", "nl", "en"])
    issue = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
    terms = rng.choice([None, 14, 30])
    due = None if terms else issue + timedelta(days=rng.choice([8, 14, 21, 30]))
    amount = Decimal(rng.randrange(500, 2_500_000)) / 100
    number = rng.choice(["{y}-{n:04d}", "F{y}{n:05d}", "INV-{n}"]).format(y=issue.year, n=index + 1)
    pdf = make_invoice_pdf(number=number, issue_date=issue, due_date=due, amount_due=amount,
                           seller_name=seller[0], seller_email=seller[1], buyer_name=buyer[0], buyer_email=buyer[1],
                           buyer_general_email=buyer[2], language=language, terms_days=terms,
                           seller_vat_id=seller[2], seller_kvk=seller[3], seller_iban="NL91ABNA0417164300")
    truth = {"invoice_number": number, "issue_date": issue.isoformat(),
             "due_date": (due or issue + timedelta(days=terms or 0)).isoformat(), "currency": "EUR",
             "amount_due": f"{amount:.2f}", "payment_terms_days": terms, "buyer_email": buyer[1] or buyer[2],
             "seller_name": seller[0], "language": language, "source_format": "pdf"}
    return pdf, truth


def write_cases(out: Path, count: int = 30, per_layout: int = 4) -> int:
    """Write `count` cases of the basic factory and `per_layout` of each Dutch/Belgian layout; returns how many."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(4)
    written = 0
    for index in range(count):
        pdf, truth = case(rng, index)
        (out / f"gen_{index:03d}.pdf").write_bytes(pdf)
        (out / f"gen_{index:03d}.truth.json").write_text(json.dumps(truth, indent=2) + "\n")
        written += 1
    for name, pdf, truth in layout_cases(per_layout):
        (out / f"{name}.pdf").write_bytes(pdf)
        (out / f"{name}.truth.json").write_text(json.dumps(truth, indent=2) + "\n")
        written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--per-layout", type=int, default=4)
    args = parser.parse_args()
    write_cases(args.out, args.count, args.per_layout)


if __name__ == "__main__":
    main()
