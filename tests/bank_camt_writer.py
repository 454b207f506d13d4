"""Write statement lines as an ISO 20022 CAMT.053.001.02 file: for stories, the round-trip property test and the bench.

No maintained CAMT writer exists on PyPI (sepaxml writes payment initiations, pain.*); this one writes only the
elements parsers/bank/camt.py reads, in schema order.
"""

from collections.abc import Iterable

from lxml import etree

from parsers.bank.model import StatementLine

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _path(parent: etree._Element, path: str, text: str) -> etree._Element:
    *heads, last = path.split("/")
    for head in heads:
        parent = _sub(parent, head)
    return _sub(parent, last, text)


def write_camt053(lines: Iterable[StatementLine], *, account_iban: str, statement_id: str = "STMT-1") -> bytes:
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    message = _sub(root, "BkToCstmrStmt")
    header = _sub(message, "GrpHdr")
    _sub(header, "MsgId", statement_id)
    _sub(header, "CreDtTm", "2027-02-01T06:00:00")
    stmt = _sub(message, "Stmt")
    _sub(stmt, "Id", statement_id)
    _sub(stmt, "CreDtTm", "2027-02-01T06:00:00")
    _path(stmt, "Acct/Id/IBAN", account_iban)
    for line in lines:
        entry = _sub(stmt, "Ntry")
        _sub(entry, "Amt", f"{line.amount:.2f}", Ccy=line.currency)
        _sub(entry, "CdtDbtInd", "CRDT" if line.credit else "DBIT")
        if line.reversal:
            _sub(entry, "RvslInd", "true")
        _sub(entry, "Sts", "BOOK")
        _path(entry, "BookgDt/Dt", line.booking_date.isoformat())
        if line.bank_reference:
            _sub(entry, "AcctSvcrRef", line.bank_reference)
        tx = _path(entry, "NtryDtls/TxDtls", "")
        tx.text = None
        if line.end_to_end_id:
            _path(tx, "Refs/EndToEndId", line.end_to_end_id)
        role = "Dbtr" if line.credit else "Cdtr"
        if line.counterparty_name or line.counterparty_iban:
            parties = _sub(tx, "RltdPties")
            if line.counterparty_name:
                _path(parties, f"{role}/Nm", line.counterparty_name)
            if line.counterparty_iban:
                _path(parties, f"{role}Acct/Id/IBAN", line.counterparty_iban)
        if line.remittance or line.creditor_reference:
            info = _sub(tx, "RmtInf")
            if line.remittance:
                _sub(info, "Ustrd", line.remittance)
            if line.creditor_reference:
                _path(info, "Strd/CdtrRefInf/Ref", line.creditor_reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
