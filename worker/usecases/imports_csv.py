"""Read a CSV of existing invoices into checked rows: each row an invoice or the reason it is refused."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from parsers.invoice import ParsedInvoice
from parsers.invoice.model import Party

# The documented columns (README), with the Dutch headers an accounting package exports; case and spaces ignored.
COLUMNS: dict[str, tuple[str, ...]] = {
    "invoice_number": ("invoice number", "invoice_number", "number", "factuurnummer"),
    "invoice_date": ("invoice date", "invoice_date", "issue date", "factuurdatum"),
    "due_date": ("due date", "due_date", "vervaldatum"),
    "amount": ("amount", "amount due", "amount_due", "bedrag", "openstaand"),
    "currency": ("currency", "valuta"),
    "debtor_name": ("debtor name", "debtor_name", "customer", "klant", "debiteur"),
    "debtor_email": ("debtor e-mail", "debtor email", "debtor_email", "e-mail", "email"),
    "debtor_country": ("debtor country", "debtor_country", "country", "land"),
    "consumer": ("consumer", "consument"),
    "language": ("language", "taal"),
    "payment_reference": ("payment reference", "payment_reference", "betalingskenmerk"),
    "debtor_address": ("debtor address", "debtor_address", "adres"),
}
REQUIRED = ("invoice_number", "amount", "debtor_email")
MAX_ROWS = 50_000
_YES = {"yes", "y", "ja", "j", "true", "1", "consumer", "consument"}
_NO = {"no", "n", "nee", "false", "0", "", "business", "zakelijk"}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class CsvUnreadable(ValueError):
    """The file as a whole cannot be read as an invoice CSV (no header, a required column missing)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RowRefused(ValueError):
    """One row cannot become an invoice; `field` is the column at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line number in the file (the header is line 1) and its cells by documented column."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class ImportedFacts:
    """What a row says beyond the invoice itself: facts about the debtor the invoice document would not carry."""

    invoice: ParsedInvoice
    country: str | None
    consumer: bool | None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows saves CSV in this code page


def read_rows(data: bytes) -> list[CsvRow]:
    """The rows of the file by documented column; raises CsvUnreadable when the header does not fit."""
    text = _decode(data)
    if not text.strip():
        raise CsvUnreadable("the file is empty; export the open invoices with a header row", "file")
    first = text.splitlines()[0]
    # A Dutch Excel writes ';' (the ',' is its decimal mark); else ',' or a tab.
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = names.get(" ".join(title.strip().lower().replace("_", " ").split()))
        key = key or names.get(title.strip().lower())
        if key and key not in positions:
            positions[key] = index
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise CsvUnreadable(f"the header row has no column {', '.join(missing)} (found: {', '.join(header)}); "
                            "see the documented columns", missing[0])
    rows: list[CsvRow] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue  # blank lines are not rows
        if len(rows) >= MAX_ROWS:
            raise CsvUnreadable(f"more than {MAX_ROWS} rows; split the file", "file")
        rows.append(CsvRow(reader.line_num, {key: values[i].strip() if i < len(values) else ""
                                             for key, i in positions.items()}))
    if not rows:
        raise CsvUnreadable("the file has a header but no invoice rows", "file")
    return rows


def parse_amount(text: str) -> Decimal:
    """'1.234,56', '1,234.56', '1234,56', '€ 1234.5': the last separator followed by 1 or 2 digits is the decimal
    mark. '1.234' or '1,234' alone could be either: refused rather than guessed (a factor 1000 is no typo)."""
    cleaned = re.sub(r"[\s€$£]|EUR|eur", "", text)
    if not cleaned:
        raise RowRefused("the amount is empty", "amount")
    if not re.fullmatch(r"-?[\d.,]+", cleaned):
        raise RowRefused(f"the amount {text!r} is not a number (write 1234.56 or 1234,56)", "amount")
    decimal_mark = re.search(r"[.,](\d{1,2})$", cleaned)
    if decimal_mark:
        whole, cents = cleaned[:decimal_mark.start()], decimal_mark.group(1)
    elif re.search(r"[.,]\d{3}$", cleaned) and len(re.findall(r"[.,]", cleaned)) == 1:
        raise RowRefused(f"the amount {text!r} is ambiguous (thousands or decimals?); write it with cents, "
                         "e.g. 1234,00", "amount")
    else:
        whole, cents = cleaned, "0"
    whole = whole.replace(".", "").replace(",", "")
    try:
        amount = Decimal(f"{whole or '0'}.{cents}")
    except InvalidOperation as exc:
        raise RowRefused(f"the amount {text!r} is not a number", "amount") from exc
    if amount <= 0:
        raise RowRefused(f"the amount {text!r} is not positive: credit notes and paid invoices are not imported",
                         "amount")
    if amount >= Decimal(10) ** 12:
        raise RowRefused(f"the amount {text!r} is too large", "amount")
    return amount


def parse_date(text: str, field: str) -> date | None:
    """ISO (2027-01-31) or day-month-year (31-01-2027, 31/1/2027, 31.01.2027); empty is None."""
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError as exc:
        raise RowRefused(f"the {field.replace('_', ' ')} {text!r} is not a date in the calendar", field) from exc
    raise RowRefused(f"the {field.replace('_', ' ')} {text!r} is not a date (write 2027-01-31 or 31-01-2027)",
                     field)


def _consumer(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return None if not lowered else False
    raise RowRefused(f"consumer must be yes or no, not {text!r}", "consumer")


def row_invoice(row: CsvRow) -> ImportedFacts:
    """The invoice a row describes, as the parsers would have read it from a document; raises RowRefused."""
    cells = row.cells
    number = cells.get("invoice_number", "")
    if not number:
        raise RowRefused("the invoice number is empty", "invoice_number")
    if len(number) > 100:
        raise RowRefused("the invoice number is longer than 100 characters", "invoice_number")
    amount = parse_amount(cells.get("amount", ""))
    issued = parse_date(cells.get("invoice_date", ""), "invoice_date")
    due = parse_date(cells.get("due_date", ""), "due_date")
    if issued and due and due < issued:
        raise RowRefused(f"the due date {due} is before the invoice date {issued}", "due_date")
    currency = (cells.get("currency") or "EUR").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise RowRefused(f"the currency {cells.get('currency')!r} is not an ISO code such as EUR", "currency")
    email = cells.get("debtor_email", "").lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise RowRefused(f"the debtor e-mail {cells.get('debtor_email')!r} is not an e-mail address"
                         if email else "the debtor e-mail is empty: reminders need an address", "debtor_email")
    country = cells.get("debtor_country", "").upper() or None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise RowRefused(f"the debtor country {cells.get('debtor_country')!r} is not a two-letter code (NL, BE)",
                         "debtor_country")
    language = cells.get("language", "").lower() or None
    if language is not None and language not in ("nl", "en", "fr", "de"):
        raise RowRefused(f"the language {cells.get('language')!r} is not one of nl, en, fr, de", "language")
    name = cells.get("debtor_name") or None
    invoice = ParsedInvoice(
        invoice_number=number, issue_date=issued, due_date=due, currency=currency, amount_due=amount,
        buyer=Party(name=name[:300] if name else None, email=email, address=cells.get("debtor_address") or None,
                    country=country),
        payment_reference=cells.get("payment_reference") or None, source="csv", language=language,
        # The business typed these itself: nothing is a guess, so nothing is held for doubt.
        confidence={"invoice_number": 1.0, "amount_due": 1.0, "currency": 1.0, "due_date": 1.0},
        filename=f"line {row.line}")
    return ImportedFacts(invoice, country, _consumer(cells.get("consumer", "")))
