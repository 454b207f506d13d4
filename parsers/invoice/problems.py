"""Check a parsed invoice against the Dutch invoice requirements and validate its identifiers."""

from __future__ import annotations

from parsers.invoice.identifiers import valid_iban, valid_kvk, valid_vat_id
from parsers.invoice.model import ParsedInvoice, Problem

_REQUIRED = (
    ("invoice_number", "missing_invoice_number", "The invoice number is missing or could not be read."),
    ("issue_date", "missing_issue_date", "The invoice date is missing or could not be read."),
    ("amount_due", "missing_amount", "The amount to pay (total incl. VAT) is missing or could not be read."),
    ("currency", "missing_currency", "The currency of the amounts could not be determined."),
)


def _looks_dutch(invoice: ParsedInvoice) -> bool:
    vat_id = (invoice.seller.vat_id or "").upper()
    return vat_id.startswith("NL") or bool(invoice.seller.kvk) or (invoice.seller.iban or "").startswith("NL")


def find_problems(invoice: ParsedInvoice) -> list[Problem]:
    """Missing legal elements, missing due date, and invalid IBAN / VAT id / KvK numbers."""
    problems = [Problem(code, name, message) for name, code, message in _REQUIRED
                if getattr(invoice, name) is None]
    if invoice.due_date is None:
        problems.append(Problem("missing_due_date", "due_date",
                                "No due date or payment term is stated; the statutory 30 days will apply."))
    if not invoice.seller.name:
        problems.append(Problem("missing_seller_name", "seller.name", "The supplier's name is missing."))
    if not invoice.buyer.name:
        problems.append(Problem("missing_buyer_name", "buyer.name", "The customer's name is missing."))
    if not invoice.seller.vat_id:
        problems.append(Problem("missing_vat_id", "seller.vat_id", "The supplier's VAT number (btw-id) is missing."))
    elif not valid_vat_id(invoice.seller.vat_id):
        problems.append(Problem("invalid_vat_id", "seller.vat_id",
                                f"The supplier's VAT number {invoice.seller.vat_id} is not valid."))
    if not invoice.seller.kvk:
        if _looks_dutch(invoice):
            problems.append(Problem("missing_kvk", "seller.kvk",
                                    "The supplier's Chamber of Commerce (KvK) number is missing."))
    elif not valid_kvk(invoice.seller.kvk):
        problems.append(Problem("invalid_kvk", "seller.kvk",
                                f"The KvK number {invoice.seller.kvk} is not a valid 8-digit number."))
    if invoice.vat_total is None and invoice.total_excl_vat is None:
        problems.append(Problem("missing_vat_breakdown", "vat_total",
                                "The amounts excluding VAT and the VAT amount are not shown separately."))
    if invoice.seller.iban is None:
        problems.append(Problem("missing_iban", "seller.iban", "No IBAN to pay to is stated."))
    elif not valid_iban(invoice.seller.iban):
        problems.append(Problem("invalid_iban", "seller.iban",
                                f"The IBAN {invoice.seller.iban} is not valid (check digits or length)."))
    return problems
