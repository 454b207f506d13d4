"""How often the invoice parser finds the buyer's postal address and country, and names the invoice's language.

Usage: python bench/eval_parties.py DIR [--verbose]
       python bench/eval_parties.py --generated   (240 generated PDFs: nl/en/de/fr, sellers and buyers in
                                                   NL, BE, DE, FR, GB, labelled block and letter window)

Language is compared with the `language` of NAME.truth.json (a label outside nl/en/de/fr expects "unknown").
The labels carry no addresses, so for PDFs with embedded XML the page-read buyer (text reader) is compared with
the XML's buyer: same country, and the XML's postcode inside the page-read address.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_invoices import cases  # noqa: E402
from parsers.invoice import InvoiceDocumentError, parse_invoice_document  # noqa: E402

_LANGUAGES = {"nl", "en", "de", "fr"}


def _postcode(address: str | None) -> str | None:
    """The XML buyer's postcode line's first word (the postcode in continental order)."""
    if not address:
        return None
    lines = address.split("\n")
    return next((line.split()[0] for line in reversed(lines) if any(c.isdigit() for c in line)), None)


def generated() -> int:
    """Exact buyer address, buyer country, seller country and language on the generated invoices."""
    from tests.factories.party_invoices import BUYERS, SELLERS, party_invoice_pdf

    right = dict.fromkeys(("buyer address", "buyer country", "seller country", "language"), 0)
    total = 0
    for language in ("nl", "en", "de", "fr"):
        for seller in SELLERS.values():
            for buyer in BUYERS.values():
                for window in (False, True):
                    pdf = party_invoice_pdf(seller, buyer, language, window=window)
                    invoice = parse_invoice_document(pdf, "generated.pdf")
                    total += 1
                    right["buyer address"] += invoice.buyer.address == buyer.block(seller, language)
                    right["buyer country"] += invoice.buyer.country == buyer.country
                    right["seller country"] += invoice.seller.country == seller.country
                    right["language"] += invoice.language == language
    print(f"{total} generated invoices\n\n| measure | right | share |\n|---|---|---|")
    for label, count in right.items():
        print(f"| {label} | {count}/{total} | {100 * count / total:.1f}% |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--generated", action="store_true", help="measure on generated invoices instead")
    args = parser.parse_args(argv)
    if args.generated or args.folder is None:
        return generated()
    total = found_country = found_address = language_right = 0
    pages = page_country = page_postcode = 0
    notes = []
    for document, truth_file in cases(args.folder):
        truth = json.loads(truth_file.read_text())
        data = document.read_bytes()
        try:
            invoice = parse_invoice_document(data, document.name)
        except InvoiceDocumentError as exc:
            notes.append(f"- {document.name}: {exc}")
            continue
        total += 1
        found_country += invoice.buyer.country is not None
        found_address += invoice.buyer.address is not None
        expected = truth["language"] if truth["language"] in _LANGUAGES else None
        language_right += invoice.language == expected
        if invoice.language != expected:
            notes.append(f"- {document.name}: language expected {expected} got {invoice.language}")
        if document.suffix == ".pdf" and invoice.source != "pdf-text":
            page = parse_invoice_document(data, document.name, structured=False)
            pages += 1
            page_country += page.buyer.country == invoice.buyer.country
            postcode = _postcode(invoice.buyer.address)
            page_postcode += bool(postcode and page.buyer.address and postcode in page.buyer.address)
            if page.buyer.country != invoice.buyer.country or not (postcode and postcode in (page.buyer.address or "")):
                notes.append(f"- {document.name}: page buyer {page.buyer.country} {page.buyer.address!r}, "
                             f"XML buyer {invoice.buyer.country} {invoice.buyer.address!r}")
    print(f"{total} invoices in {args.folder}\n")
    print("| measure | count | share |\n|---|---|---|")
    for label, count, of in (("buyer country found", found_country, total),
                             ("buyer address found", found_address, total),
                             ("language right (unknown where the label is not nl/en/de/fr)", language_right, total),
                             ("page-read buyer country = embedded XML's", page_country, pages),
                             ("page-read buyer address holds the XML's postcode", page_postcode, pages)):
        print(f"| {label} | {count}/{of} | {100 * count / of if of else 0:.1f}% |")
    if args.verbose and notes:
        print("\n" + "\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
