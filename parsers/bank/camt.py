"""ISO 20022 CAMT.053 (statement), CAMT.052 (report) and CAMT.054 (notification) read with lxml.

Read by element names, whatever the version namespace (.001.02 to .001.08 as Dutch and Belgian banks export
them): the elements used here kept their names and places across those versions, except the party name
(`Dbtr/Nm` until .07, `Dbtr/Pty/Nm` from .08) and the entry status (`Sts` text, `Sts/Cd` from .08).
Only booked entries count; pending or informational entries are not money yet.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from parsers.bank.model import Statement, StatementLine
from parsers.bank.reference import find_references, structured_reference

# One statement, report or notification block per kind of message.
_BLOCKS = {"BkToCstmrStmt": ("camt.053", "Stmt"), "BkToCstmrAcctRpt": ("camt.052", "Rpt"),
           "BkToCstmrDbtCdtNtfctn": ("camt.054", "Ntfctn")}


class CamtUnreadable(ValueError):
    """The XML is not a CAMT message this reader understands; the message says what is wrong."""


def is_camt(data: bytes) -> bool:
    """Cheap content sniffing: an XML document in a camt namespace."""
    head = data[:2000]
    return b"<" in head and b"urn:iso:std:iso:20022:tech:xsd:camt.05" in head


def _local(root: etree._Element) -> etree._Element:
    """Drop namespaces so one set of paths reads every version."""
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    return root


def _text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def _date(entry: etree._Element) -> date:
    value = _text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm") or _text(entry, "ValDt/Dt")
    if value is None:
        raise CamtUnreadable("an entry has no booking date (BookgDt)")
    return date.fromisoformat(value[:10])


def _amount(el: etree._Element | None) -> tuple[Decimal, str] | None:
    if el is None or el.text is None:
        return None
    try:
        return Decimal(el.text.strip()), el.get("Ccy") or "EUR"
    except InvalidOperation:
        raise CamtUnreadable(f"amount {el.text!r} is not a number") from None


def _party(tx: etree._Element | None, role: str) -> tuple[str | None, str | None]:
    if tx is None:
        return None, None
    parties = tx.find("RltdPties")
    name = (_text(parties, f"{role}/Nm") or _text(parties, f"{role}/Pty/Nm")
            or _text(parties, f"Ultmt{role}/Nm") or _text(parties, f"Ultmt{role}/Pty/Nm"))
    iban = _text(parties, f"{role}Acct/Id/IBAN")
    return name, iban.replace(" ", "").upper() if iban else None


def _booked(entry: etree._Element) -> bool:
    status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
    return status in (None, "BOOK")


def _line(account: str | None, entry: etree._Element, tx: etree._Element | None, single: bool) -> StatementLine:
    credit = _text(entry, "CdtDbtInd") == "CRDT"
    # A lone transaction is booked at the entry amount; in a batch each transaction carries its own.
    if single or tx is None:
        amount = _amount(entry.find("Amt"))
    else:
        amount = _amount(tx.find("AmtDtls/TxAmt/Amt")) or _amount(tx.find("Amt"))
    if amount is None:
        raise CamtUnreadable("an entry has no amount (Amt)")
    # The payer is the debtor of a credit; for a debit (or a returned credit) the other side is the creditor.
    name, iban = _party(tx, "Dbtr" if credit else "Cdtr")
    if name is None and iban is None:
        name, iban = _party(tx, "Cdtr" if credit else "Dbtr")
    unstructured = " ".join(u.text.strip() for u in (tx.findall("RmtInf/Ustrd") if tx is not None else [])
                            if u.text and u.text.strip())
    structured = None
    for ref in ([] if tx is None else tx.findall("RmtInf/Strd/CdtrRefInf/Ref")):
        structured = structured or structured_reference(ref.text)
    structured = structured or next(iter(find_references(unstructured)), None)
    reversal = _text(entry, "RvslInd") in ("true", "1") or (tx is not None and tx.find("RtrInf") is not None)
    return StatementLine(
        account_iban=account, booking_date=_date(entry), amount=amount[0], credit=credit, currency=amount[1],
        bank_reference=_text(tx, "Refs/AcctSvcrRef") or _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef"),
        counterparty_name=name, counterparty_iban=iban, remittance=unstructured, creditor_reference=structured,
        reversal=reversal, end_to_end_id=_text(tx, "Refs/EndToEndId"))


def read_camt(data: bytes) -> Statement:
    """Every booked line of a CAMT.052/053/054 message, in file order, split per transaction in a batch."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = _local(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise CamtUnreadable(f"the file is not well-formed XML: {exc}") from None
    block = next((b for b in _BLOCKS if root.find(b) is not None), None)
    if block is None:
        raise CamtUnreadable("the XML holds no bank-to-customer statement, report or notification")
    kind, part = _BLOCKS[block]
    message = root.find(block)
    assert message is not None
    lines: list[StatementLine] = []
    accounts = []
    for section in message.findall(part):
        account = _text(section, "Acct/Id/IBAN")
        account = account.replace(" ", "").upper() if account else None
        accounts.append(account)
        for entry in section.findall("Ntry"):
            if not _booked(entry):
                continue
            details = entry.findall("NtryDtls/TxDtls")
            if not details:
                lines.append(_line(account, entry, None, single=True))
            for tx in details:
                lines.append(_line(account, entry, tx, single=len(details) == 1))
    return Statement(format=kind, lines=tuple(lines), account_iban=next(iter(accounts), None))
