"""The CSV exports of Rabobank, ING and ABN AMRO: the bank is told by the header, each has its own columns.

Rabobank: "IBAN/BBAN","Munt",…,"Volgnr","Datum",…,"Bedrag" (signed),…,"Betalingskenmerk","Omschrijving-1..3",
"Reden retour". ING: "Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)",
"Mutatiesoort","Mededelingen" (also in English, with `,` or `;`). ABN AMRO: "Rekeningnummer","Muntsoort",
"Transactiedatum","Beginsaldo","Eindsaldo","Rentedatum","Transactiebedrag","Omschrijving", the description in the
field-86 layout; its tab-separated .TAB export has the same columns without a header.
"""

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from parsers.amount_text import parse_number
from parsers.bank.field86 import details, keyed
from parsers.bank.model import Statement, StatementLine
from parsers.bank.reference import find_references, structured_reference

ABN_COLUMNS = ["Rekeningnummer", "Muntsoort", "Transactiedatum", "Beginsaldo", "Eindsaldo", "Rentedatum",
               "Transactiebedrag", "Omschrijving"]


class CsvUnreadable(ValueError):
    """A bank CSV with a row that cannot be read; the message names the row."""


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # Rabobank and ING export UTF-8 today, older files Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _amount(text: str) -> Decimal:
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    value = parse_number(text.lstrip("+-"), ",")
    if value is None:
        raise CsvUnreadable(f"amount {text!r} is not a number")
    return sign * value


def _date(text: str) -> date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CsvUnreadable(f"date {text!r} is not a date")


def _iban(text: str | None) -> str | None:
    compact = (text or "").replace(" ", "").upper()
    return compact or None


def _rabobank(row: dict[str, str]) -> StatementLine:
    amount = _amount(row["Bedrag"])
    remittance = " ".join(row.get(f"Omschrijving-{n}", "").strip() for n in (1, 2, 3)).strip()
    reference = structured_reference(row.get("Betalingskenmerk", "").strip())
    return StatementLine(
        account_iban=_iban(row["IBAN/BBAN"]), booking_date=_date(row["Datum"]), amount=abs(amount),
        credit=amount > 0, currency=row.get("Munt") or "EUR", bank_reference=row.get("Volgnr") or None,
        counterparty_name=row.get("Naam tegenpartij") or None,
        counterparty_iban=_iban(row.get("Tegenrekening IBAN/BBAN")), remittance=remittance,
        creditor_reference=reference or next(iter(find_references(remittance)), None),
        reversal=bool((row.get("Reden retour") or "").strip()),
        end_to_end_id=(row.get("Transactiereferentie") or "").strip() or None)


_ING_LABELS = re.compile(r"\b(Naam|Omschrijving|IBAN|Kenmerk|Machtiging ID|Incassant ID|Valutadatum|Name|"
                         r"Description|Reference|Value date):\s*")


def _ing(row: dict[str, str]) -> StatementLine:
    get = lambda *names: next((row[n] for n in names if n in row), "")  # noqa: E731 - Dutch or English header
    notes = " ".join(get("Mededelingen", "Notifications").split())
    parts = _ING_LABELS.split(notes)
    labelled = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    remittance = labelled.get("Omschrijving") or labelled.get("Description") or notes
    credit = get("Af Bij", "Debit/credit").strip().lower() in ("bij", "credit")
    kenmerk = labelled.get("Kenmerk") or labelled.get("Reference")
    return StatementLine(
        account_iban=_iban(get("Rekening", "Account")), booking_date=_date(get("Datum", "Date")),
        amount=abs(_amount(get("Bedrag (EUR)", "Amount (EUR)"))), credit=credit, currency="EUR",
        counterparty_name=get("Naam / Omschrijving", "Name / Description").strip() or None,
        counterparty_iban=_iban(get("Tegenrekening", "Counterparty")), remittance=remittance,
        creditor_reference=structured_reference(kenmerk) or next(iter(find_references(notes)), None),
        end_to_end_id=kenmerk or None)


def _abnamro(row: dict[str, str]) -> StatementLine:
    amount = _amount(row["Transactiebedrag"])
    text = row["Omschrijving"]
    name, iban, remittance = details(text)
    return StatementLine(
        account_iban=_iban(row["Rekeningnummer"]), booking_date=_date(row["Transactiedatum"]), amount=abs(amount),
        credit=amount > 0, currency=row.get("Muntsoort") or "EUR", counterparty_name=name, counterparty_iban=iban,
        remittance=remittance, creditor_reference=next(iter(find_references(" ".join(text.split()))), None),
        reversal="/RTRN/" in text, end_to_end_id=keyed(" ".join(text.split())).get("EREF"))


# header columns that identify the bank → (format, row reader)
_BANKS: tuple[tuple[str, frozenset[str], Callable[[dict[str, str]], StatementLine]], ...] = (
    ("csv-rabobank", frozenset({"IBAN/BBAN", "Volgnr", "Bedrag", "Naam tegenpartij"}), _rabobank),
    ("csv-ing", frozenset({"Naam / Omschrijving", "Af Bij", "Mededelingen"}), _ing),
    ("csv-ing", frozenset({"Name / Description", "Debit/credit", "Notifications"}), _ing),
    ("csv-abnamro", frozenset(ABN_COLUMNS), _abnamro),
)


def _rows(text: str) -> tuple[list[str] | None, csv.reader]:  # type: ignore[valid-type]
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return next(reader, None), reader


def bank_of(data: bytes) -> str | None:
    """Which bank's export this is, from its header (or ABN AMRO's headerless tab layout), else None."""
    header, _ = _rows(_text(data[:4000]))
    if not header:
        return None
    names = {h.strip() for h in header}
    for kind, needed, _reader in _BANKS:
        if needed <= names:
            return kind
    if len(header) == 8 and re.fullmatch(r"\d{8}", header[2].strip()):
        return "csv-abnamro"
    return None


def read_csv(data: bytes) -> Statement:
    """Every row of a Rabobank, ING or ABN AMRO CSV export as a statement line, in file order."""
    header, reader = _rows(_text(data))
    kind = bank_of(data)
    if header is None or kind is None:
        raise CsvUnreadable("the CSV header is not that of a Rabobank, ING or ABN AMRO export")
    rows: list[list[str]] = list(reader)
    if kind == "csv-abnamro" and "Rekeningnummer" not in header:
        rows, header = [header, *rows], ABN_COLUMNS  # the .TAB export has no header line
    names = [h.strip() for h in header]
    reader_of = next(r for k, needed, r in _BANKS if k == kind and set(needed) <= set(names)) \
        if kind != "csv-abnamro" else _abnamro
    lines = []
    for number, values in enumerate(rows, start=2):
        if not any(v.strip() for v in values):
            continue
        try:
            lines.append(reader_of(dict(zip(names, values, strict=False))))
        except (CsvUnreadable, KeyError) as exc:
            raise CsvUnreadable(f"row {number}: {exc}") from None
    return Statement(format=kind, lines=tuple(lines), account_iban=next((x.account_iban for x in lines), None))
