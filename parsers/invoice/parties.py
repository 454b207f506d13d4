"""Seller and buyer from invoice layout text: the buyer block under its label, e-mail addresses told apart by domain."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from parsers.invoice.address_window import (
    ReturnAddress,
    aligned_under,
    return_address,
    seller_block,
    window_block,
)
from parsers.invoice.identifiers import (
    EMAIL,
    find_ibans,
    find_kvks,
    find_vat_ids,
    is_role_address,
    valid_iban,
    valid_vat_id,
)
from parsers.invoice.layout import Hit, beside
from parsers.invoice.model import Party
from parsers.invoice.postal_address import country_of_identifier, read_printed

_LEGAL_FORM = re.compile(r"\b(?:B\.?V\.?|N\.?V\.?|GmbH|AG|Ltd\.?|LLC|Inc\.?|S\.?A\.?R\.?L\.?|SAS|S\.A\.|BVBA|BV|"
                         r"V\.O\.F\.?|VOF|e\.K\.|KG|plc|CommV|SRL|SPRL)(?![\w])")
_URL = re.compile(r"(?:https?://|www\.)(?:www\.)?([\w\-]+(?:\.[\w\-]+)+)", re.I)
# Lines that speak for the seller: its contact person, its letterhead words.
_SELLER_LINE = re.compile(r"(?:seller|verk[äa]ufer|lieferant|fournisseur|leverancier|verkoper|afzender|absender|"
                          r"sales|commercial|r[üu]ckfragen|questions|vragen|si[èe]ge|registered\s+office|capital|"
                          r"handelsregister|gesch[äa]ftsf[üu]hr|kvk|k\.v\.k|amtsgericht)", re.I)
_SALUTATION = re.compile(r"^(?:herrn?|frau|firma|dhr\.?|mevr\.?|mr\.?|mrs\.?|ms\.?|m\.|mme|t\.a\.v\.?|attn\.?|"
                         r"z\.hd\.?)$", re.I)
_NOT_ADDRESS = re.compile(r"@|\b(?:tel|fax|phone|telefoon|telefon|btw|vat|tva|ust|kvk|iban|bic|www)\b|"
                          r"^\+?\d[\d\s/()-]{7,}$", re.I)
_GAP = re.compile(r"\s{3,}")


def _domain(email_or_host: str) -> str:
    host = email_or_host.rsplit("@", 1)[-1].lower()
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def _first_cell(text: str) -> str:
    """Text up to a wide gap, keeping "Name:      Beispielmieter GmbH" together."""
    parts = _GAP.split(text.strip())
    if len(parts) > 1 and (parts[0].endswith(":") or parts[1].startswith(":")):
        return f"{parts[0].rstrip(':').rstrip()}: {parts[1].lstrip(':').strip()}"
    return parts[0]


def _block_cells(lines: list[str], hits: list[Hit], hit: Hit, depth: int = 8) -> list[tuple[int, str]]:
    """A party block: text beside its label, then the cells starting in the label's column on the lines below.
    A cell that only continues a longer text from the left is not part of the column; two lines without a cell
    there, or another party's label, end the block."""
    cells: list[tuple[int, str]] = []
    after = beside(lines, hits, hit)
    rest = after.strip(" :")
    # Text beside the label that holds another label ("Bill To:   Ship To:") is a neighbouring column's heading,
    # and so is text far to the right of a heading without a colon ("Rechnungsempfänger      Kundennummer 42").
    heading_only = ":" not in lines[hit.line][hit.start:hit.end] + after[:2] and re.match(r"\s{3,}", after)
    if rest and not heading_only and not any(h.line == hit.line and h.start > hit.end for h in hits):
        cells.append((hit.line, _first_cell(rest)))
    party_rows = {h.line for h in hits if h.field in ("buyer", "seller") and h.field != hit.field
                  and abs(h.start - hit.start) <= 6}
    misses = 0
    for index in range(hit.line + 1, min(len(lines), hit.line + 1 + depth)):
        if index in party_rows:
            break
        line = lines[index]
        begin = max(0, hit.start - 2)
        segment = line[begin:]
        start = begin + len(segment) - len(segment.lstrip())
        if not segment.strip() or start - begin > 6 or (start > 1 and line[start - 2:start].strip()):
            misses += 1
            if misses == 2:
                break
            continue
        misses = 0
        cells.append((index, _first_cell(line[start:])))
    return cells


def _letterhead(lines: list[str], hits: list[Hit], buyer_rows: set[int]) -> tuple[str | None, list[tuple[int, str]]]:
    """The seller's name (a company name with a legal form near the top, else in the footer) and the block under it."""
    rows = list(range(min(15, len(lines)))) + list(range(max(15, len(lines) - 6), len(lines)))
    for index in rows:
        if index in buyer_rows:
            continue
        for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", lines[index]):
            cell = m.group(0)
            if _LEGAL_FORM.search(cell) and not EMAIL.search(cell):
                name = " ".join(re.split(r"\s[-•|●–]\s", cell)[0].split())
                name = re.sub(r"\s+(?:au capital|mit sitz|met zetel|with registered|registered in)\b.*$", "", name,
                              flags=re.I)
                fake = Hit("seller", 0, index, m.start(), m.start())
                # The letterhead ends where the invoice's own labels start (title, buyer heading, meta).
                stop = min((h.line for h in hits if h.line > index), default=len(lines))
                block = [(i, c) for i, c in _block_cells(lines, [], fake, depth=9)[1:] if i < stop]
                return name, [(index, cell), *block]
    # No legal form: a short plain name opening the letterhead at the left ("Studio Lindeboom").
    first = _GAP.split(lines[0].strip())[0] if lines else ""
    if (lines and len(lines[0]) - len(lines[0].lstrip()) < 20 and 0 not in buyer_rows
            and re.fullmatch(r"[A-Za-zÀ-ÿ&'.\- ]{3,60}", first) and 2 <= len(first.split()) <= 6):
        return " ".join(first.split()), []
    return None, []


def _split_emails(emails: list[str]) -> tuple[str | None, str | None]:
    """(contact, general): a personal address is the contact; a role address (info@, administratie@) the general one,
    and also the contact when no personal address is printed."""
    personal = [e for e in emails if not is_role_address(e)]
    role = [e for e in emails if is_role_address(e)]
    general = role[0] if role else None
    return (personal[0] if personal else general), general


def _named_after(domain: str, name: str | None) -> bool:
    """Whether a mail domain is visibly the company's name ("dezwaan.nl" for "Drukkerij De Zwaan BV")."""
    if not name:
        return False
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0].lower())
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    match = SequenceMatcher(None, label, compact, autojunk=False).find_longest_match(0, len(label), 0, len(compact))
    return match.size >= min(5, len(label))


def _seller_domains(lines: list[str], buyer_rows: set[int], seller_rows: set[int],
                    seller_name: str | None) -> set[str]:
    domains = {_domain(m.group(1)) for line in lines for m in _URL.finditer(line)}
    # Letterhead (first lines) and footer (last lines of a page-long text) speak for the seller.
    edge = set(range(3)) | (set(range(len(lines) - 6, len(lines))) if len(lines) > 20 else set()) | seller_rows
    for index, line in enumerate(lines):
        if index in buyer_rows:
            continue
        for email in EMAIL.findall(line):
            if index in edge or _SELLER_LINE.search(line) or _named_after(_domain(email), seller_name):
                domains.add(_domain(email))
    return domains


def _buyer_emails(lines: list[str], cells: list[tuple[int, str]], seller_rows: set[int],
                  seller_name: str | None) -> list[str]:
    seller = _seller_domains(lines, {i for i, _ in cells}, seller_rows, seller_name)
    # In the buyer's own block only the seller's exact addresses are dropped: both may use the same mail provider.
    seller_addresses = {e.lower() for i, line in enumerate(lines) if i in seller_rows or _SELLER_LINE.search(line)
                        for e in EMAIL.findall(line)}
    in_block = [e for _, cell in cells for e in EMAIL.findall(cell) if e.lower() not in seller_addresses]
    if in_block or cells:
        return in_block
    # No buyer block: the addresses on the page that are not the seller's, if they share one domain.
    others = [e for index, line in enumerate(lines) if index not in seller_rows and not _SELLER_LINE.search(line)
              for e in EMAIL.findall(line) if _domain(e) not in seller]
    return others if len({_domain(e) for e in others}) == 1 else []


def _name_and_rest(cells: list[tuple[int, str]]) -> tuple[str | None, list[str]]:
    """Name: the "Name:" field or the first plain line without digits. Rest: the lines after it that may be part of
    a postal address (no e-mail, phone, VAT, registry or bank lines)."""
    name: str | None = None
    rest: list[str] = []
    for _, cell in cells:
        text = " ".join(cell.split())
        keyed = re.match(r"^([^:]{1,30}):\s*(.*)$", text)
        if keyed:
            key, value = keyed.group(1).lower(), keyed.group(2)
            if re.search(r"\b(?:name|naam|nom|firma|company|bedrijf)$", key) and value and name is None:
                name = value
            elif re.search(r"anschrift|adres|address|adresse", key) and value and name is not None:
                rest.append(value)
            continue
        if _SALUTATION.match(text) or EMAIL.search(text) or len(text) > 60:
            continue
        if name is None:
            if not re.search(r"\d", text):
                name = text
            continue
        if not _NOT_ADDRESS.search(text):
            rest.append(text)
    return name, rest


def _block_vat_id(cells: list[tuple[int, str]]) -> str | None:
    """A valid VAT id printed in the party's own block ("BTW-nr: BE0403.170.701")."""
    found = [v for v in find_vat_ids("\n".join(cell for _, cell in cells)) if valid_vat_id(v)]
    return found[0] if found else None


def _first_block(lines: list[str], hits: list[Hit], field: str) -> list[tuple[int, str]]:
    # A heading, not prose: "Facture à régler par virement" uses the words of the label "Facturé à" in a sentence.
    headings = [h for h in hits if h.field == field and not re.match(r" [a-zà-ÿ]", lines[h.line][h.end:h.end + 2])]
    ranked = sorted(headings, key=lambda h: (-h.priority, h.line))
    return _block_cells(lines, hits, ranked[0]) if ranked else []


def _without(lines: list[str], cells: list[tuple[int, str]]) -> list[str]:
    """The lines with the buyer's cells blanked, so a letterhead column beside the window stops short of it."""
    masked = list(lines)
    for index, cell in cells:
        pos = masked[index].rfind(cell)
        if pos >= 0:
            masked[index] = masked[index][:pos] + " " * len(cell) + masked[index][pos + len(cell):]
    return masked


def _seller_address(rest: list[str], sender: ReturnAddress | None, seller_name: str | None,
                    country_hint: str | None, language: str | None) -> tuple[str | None, str | None]:
    """The seller's address: from its return-address line when that names it, else from its block; the country
    from the address, else from its VAT id or IBAN (`country_hint`)."""
    address, country = None, None
    if sender is not None and (sender.name is None or seller_name is None
                               or seller_name.casefold() in sender.name.casefold()):
        address, country = read_printed(sender.address, None, country_hint, language)
    if address is None:
        address, country = read_printed(rest, None, country_hint, language)
    return address, country or country_hint


def _letterhead_rest(lines: list[str], seller_name: str | None, rest: list[str]) -> list[str]:
    """A party block's address lines; where they hold no address, the lines lined up under its name (a
    right-aligned letterhead, or "Name:" and "Anschrift:" values continued in their column)."""
    if read_printed(rest, None, None, None)[0] is None and seller_name:
        return _name_and_rest([(0, seller_name), *((0, cell) for cell in aligned_under(lines, seller_name))])[1]
    return rest


def read_parties(lines: list[str], hits: list[Hit], language: str | None = None) -> tuple[Party, Party]:
    """(seller, buyer) as printed; the seller's identifiers come from outside the buyer block. Without a buyer
    label the recipient's block in the address window is the buyer's."""
    labelled = _first_block(lines, hits, "buyer")
    cells = labelled or window_block(lines, _letterhead(lines, hits, set())[0])
    buyer_rows = {i for i, _ in cells}
    seller_cells = _first_block(lines, hits, "seller")
    letterhead_name, letterhead = _letterhead(_without(lines, cells), hits, buyer_rows)
    seller_name, seller_rest = _name_and_rest(seller_cells) if seller_cells else (None, [])
    if letterhead_name:
        seller_name = seller_name if seller_name and _LEGAL_FORM.search(seller_name) else letterhead_name
        seller_rest = seller_rest or _name_and_rest(letterhead)[1]
    seller_rows = {i for i, _ in seller_cells + letterhead} - buyer_rows
    found = _buyer_emails(lines, cells, seller_rows, seller_name)
    if not found and not labelled:
        # A window block without an e-mail line: the buyer's address may be printed elsewhere on the page.
        found = _buyer_emails(lines, [], seller_rows, seller_name)
    email, general = _split_emails(found)
    name, rest = _name_and_rest(cells)
    other = "\n".join(line for i, line in enumerate(lines) if i not in buyer_rows)
    emails = [e for e in EMAIL.findall(other) if e not in (email, general)]
    ibans = [i for i in find_ibans(other) if valid_iban(i)] or find_ibans(other)
    vat_ids, kvks = find_vat_ids(other), find_kvks(other)
    seller_vat, seller_iban = (vat_ids[0] if vat_ids else None), (ibans[0] if ibans else None)
    # A KvK number is Dutch; a bank account may be abroad, so the IBAN is the last resort.
    identified = country_of_identifier(seller_vat) or ("NL" if kvks else None) or country_of_identifier(seller_iban)
    seller_rest = _letterhead_rest(_without(lines, cells), seller_name, seller_rest)
    if read_printed(seller_rest, None, None, None)[0] is None:
        seller_rest = _name_and_rest([(0, ""), *((0, c) for c in seller_block(_without(lines, cells), seller_name))])[1]
    sender = return_address(_without(lines, cells))
    seller_address, seller_country = _seller_address(seller_rest, sender, seller_name, identified, language)
    buyer_vat = _block_vat_id(cells)
    address, country = read_printed(_letterhead_rest(lines, name, rest), buyer_vat, seller_country, language)
    buyer = Party(name=name, email=email, general_email=general, vat_id=buyer_vat, address=address, country=country)
    seller = Party(name=seller_name, email=emails[0] if emails else None, address=seller_address,
                   vat_id=seller_vat, kvk=kvks[0] if kvks else None, iban=seller_iban, country=seller_country)
    return seller, buyer
