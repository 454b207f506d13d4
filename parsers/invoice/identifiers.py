"""Find and validate IBANs, VAT ids, KvK numbers and e-mail addresses (validation by python-stdnum)."""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9*]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")
VAT_LABEL = re.compile(r"(?<![a-z])(?:btw|vat|tva|ust|mwst|umsatzsteuer|steuer|iva|moms)", re.I)
VAT_ID = re.compile(r"\b(?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|GB|CHE)"
                    r"[\s.\-]?(?:[0-9A-Z][\s.\-]?){7,12}\b")
KVK = re.compile(r"(?:kvk|k\.v\.k\.?|kamer\s+van\s+koophandel|chamber\s+of\s+commerce|coc)[^\d\n]{0,25}"
                 r"(\d{2}[\s.]?\d{2}[\s.]?\d{2}[\s.]?\d{2})(?!\d)", re.I)
ROLE_LOCAL_PARTS = {
    "info", "administratie", "admin", "finance", "financien", "accounts", "accounting", "boekhouding",
    "crediteuren", "creditors", "facturen", "factuur", "invoices", "invoice", "billing", "office", "contact",
    "sales", "support", "service", "buchhaltung", "rechnung", "rechnungen", "comptabilite", "compta",
    "payables", "ap", "receivables", "kantoor", "post", "mail", "hello", "hallo", "bonjour",
}


def is_role_address(email: str) -> bool:
    """True for a shared role mailbox such as info@, administratie@, finance@, accounts@."""
    local = email.split("@", 1)[0].lower()
    return local in ROLE_LOCAL_PARTS or local.split(".")[0] in ROLE_LOCAL_PARTS


def compact(value: str) -> str:
    """Identifier without spaces, dots and dashes, upper case."""
    return re.sub(r"[\s.\-]", "", value).upper()


def valid_iban(value: str) -> bool:
    """Whether an IBAN has a valid structure and check digits."""
    return stdnum_iban.is_valid(compact(value))


def valid_vat_id(value: str) -> bool:
    """Whether an EU VAT id is valid for its country prefix."""
    return stdnum_vat.is_valid(compact(value))


def valid_kvk(value: str) -> bool:
    """Whether a Dutch KvK number has the right form: 8 digits, not all zero (python-stdnum has no KvK module,
    and KvK numbers carry no check digit)."""
    digits = compact(value)
    return bool(re.fullmatch(r"\d{8}", digits)) and digits != "00000000"


def find_ibans(text: str) -> list[str]:
    """IBAN-shaped strings in a text, compacted."""
    # The shortest IBANs (Norway) have 15 characters; shorter matches are VAT or account numbers.
    return [value for m in IBAN.finditer(text) if len(value := compact(m.group(0))) >= 15]


def find_vat_ids(text: str) -> list[str]:
    """VAT-id-shaped strings following a VAT label, compacted."""
    found = []
    for label in VAT_LABEL.finditer(text):
        m = VAT_ID.search(text, label.end(), label.end() + 30)
        if m:
            found.append(compact(m.group(0)))
    return found


def find_kvks(text: str) -> list[str]:
    """KvK numbers following a KvK / Chamber of Commerce label."""
    return [compact(m.group(1)) for m in KVK.finditer(text)]
