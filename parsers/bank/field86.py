"""Field 86 of MT940 (and ABN AMRO's CSV description): counterparty name, IBAN and remittance text.

Dutch and Belgian banks fill it differently: ING `/CNTP/iban/bic/name/city/ /REMI/USTD//text/` or
`/REMI/STRD/CUR/RF…/`; ABN AMRO `/TRTP/…/IBAN/…/NAME/…/REMI/…/`; Rabobank `/ORDP//NAME/…/REMI/…/`; Belfius the
`?20`…`?32` sub-fields; KBC and others free text.
"""

import re

# Keys of the SEPA-structured field 86; a value runs until the next known key.
_KEYS = ("TRTP", "EREF", "MARF", "CSID", "CNTP", "REMI", "IBAN", "BIC", "NAME", "ORDP", "BENM", "ID", "ADDR", "PREF",
         "RTRN", "ISDT", "PURP", "ULTC", "ULTD", "ULTB", "EXCH", "CHGS", "SVCL", "TRCD", "RETR", "CDTRREF", "BUSP")
_KEYED = re.compile(r"/({})/".format("|".join(_KEYS)))
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}[A-Z0-9]{10,30})\b")
_SUBFIELD = re.compile(r"\?(\d{2})")


def keyed(text: str) -> dict[str, str]:
    """`/KEY/value/KEY/value` pairs; the first occurrence of a key wins."""
    found: dict[str, str] = {}
    marks = list(_KEYED.finditer(text))
    for m, nxt in zip(marks, [*marks[1:], None], strict=False):
        value = text[m.end(): nxt.start() if nxt else len(text)].strip("/ ")
        found.setdefault(m.group(1), value)
    return found


def _subfields(text: str) -> dict[str, str]:
    """German/Belgian `?NN` sub-fields joined per number."""
    parts = _SUBFIELD.split(text)
    found: dict[str, str] = {}
    for number, value in zip(parts[1::2], parts[2::2], strict=True):
        found[number] = (found.get(number, "") + value).strip()
    return found


def details(text: str) -> tuple[str | None, str | None, str]:
    """(counterparty name, counterparty IBAN, remittance text) from a field 86."""
    flat = " ".join(text.split())
    if _SUBFIELD.search(flat):
        sub = _subfields(flat)
        purpose = " ".join(v for k, v in sorted(sub.items()) if "20" <= k <= "29")
        return sub.get("32") or None, (sub.get("31") or "").replace(" ", "") or None, purpose
    found = keyed(flat)
    if not found:
        loose = _IBAN.search(flat)
        return None, loose.group(1) if loose else None, flat
    name, iban = found.get("NAME"), found.get("IBAN")
    if "CNTP" in found:  # ING: iban/bic/name/city
        parts = found["CNTP"].split("/")
        iban = iban or (parts[0] or None)
        name = name or (parts[2] if len(parts) > 2 and parts[2] else None)
    if name is None:
        for party in ("ORDP", "BENM"):
            inner = keyed("/" + found.get(party, "") + "/")
            name = name or inner.get("NAME")
    remittance = found.get("REMI", "")
    remittance = re.sub(r"^(USTD|STRD)/+(CUR/+)?", "", remittance).strip("/ ")
    return name, iban, remittance
