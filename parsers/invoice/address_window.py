"""The recipient's block of a letter-style invoice that prints no buyer label: the block under the sender's
return-address line (DIN 5008), else a block with a postcode near the top of the page that bears none of the
seller's marks (its name, registry, bank, VAT or web lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.invoice.postal_address import country_of_line, find_postcode

_TOP = 25
_CELL = re.compile(r"\S+(?:\s{1,2}\S+)*")
# A heading without a colon above the recipient ("Klant", "Kunde") is not its name.
_HEADING = re.compile(r"^(?:klant|customer|kunde|client|aan|to|an|empf[äa]nger|debiteur|afnemer|buyer|koper|"
                      r"destinataire)\s*:?$", re.I)
# A delivery address is where goods went, not where letters go.
_DELIVERY = re.compile(r"lieferadresse|lieferanschrift|warenempf[äa]nger|afleveradres|leveradres|aflever|"
                       r"delivery|ship\s*to|shipping|livraison|livr[ée]\s+[àa]", re.I)
_SALUTATION = re.compile(r"^(?:herrn?|frau|firma|dhr\.?|mevr\.?|mr\.?|mrs\.?|ms\.?|mme|t\.a\.v\.?|attn\.?|"
                         r"z\.\s?hd\.?)(?:\s|$)", re.I)
_CONTACT = re.compile(r"@|(?<![a-z])(?:btw|vat|tva|ust|mwst|uid)", re.I)
_PHONE = re.compile(r"(?:tel|phone|telefoon|telefon|t)?[.:]?\s*\+?[\d\s()/.-]{7,}", re.I)
_WIDE_GAP = re.compile(r"\s{3,}")
_RETURN_PARTS = re.compile(r"\s[•●·|–\-]\s|,\s")
_SELLER_MARK = re.compile(r"(?<![a-z])(?:kvk|k\.v\.k|iban|bic|swift|www\.|https?:|tel\b|fax\b|"
                          r"phone|telefoon|telefon|siret|siren|rcs\b|handelsregister|hrb\b|amtsgericht|"
                          r"gesch[äa]ftsf[üu]hr|chamber\s+of\s+commerce|registered)", re.I)


@dataclass(frozen=True)
class ReturnAddress:
    """The sender's one-line address above the window ("Firma GmbH • Straße 1 • 12345 Ort") or in its letterhead
    ("Oudegracht 201 | 3511 NH Utrecht | hallo@…"): the name when it leads the line, and the address parts."""

    line: int
    column: int
    name: str | None
    address: list[str]


def _cells(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _CELL.finditer(line)]


def _cell_at(line: str, column: int, slack: int = 3) -> str | None:
    """The text starting at about `column` (a word start), up to a wide gap: layout text sometimes leaves only two
    spaces between the left column and the window ("3528 BJ Utrecht  Kapittelweg 409")."""
    for offset in sorted(range(-slack, slack + 1), key=abs):
        pos = column + offset
        # A cell starts the line or follows two spaces: a word inside a sentence is not a column.
        if 0 <= pos < len(line) and not line[pos].isspace() and (pos < 2 or not line[pos - 2:pos].strip()):
            return _WIDE_GAP.split(line[pos:].rstrip(), maxsplit=1)[0]
    return None


def _one_line_address(cell: str) -> tuple[str | None, list[str]] | None:
    """(name, address parts) of a cell that is a whole address on one line, its parts apart by separators."""
    parts = [p.strip() for p in _RETURN_PARTS.split(cell) if p.strip()]
    while parts and (country_of_line(parts[-1]) or _SELLER_MARK.search(parts[-1]) or "@" in parts[-1]
                     or _PHONE.fullmatch(parts[-1])):
        parts.pop()  # "… - 84340 Malaucène - France", "… | hallo@studio.nl"
    if len(parts) < 2 or find_postcode(parts[-1]) is None:
        return None
    if re.search(r"\d", parts[0]):
        return None, parts
    return (parts[0], parts[1:]) if len(parts) >= 3 else None


def return_address(lines: list[str]) -> ReturnAddress | None:
    """The first one-line address near the top of the page (the sender's)."""
    for index in range(min(15, len(lines))):
        for start, cell in _cells(lines[index]):
            found = _one_line_address(cell)
            if found is not None:
                return ReturnAddress(index, start, found[0], found[1])
    return None


def _block_under(lines: list[str], row: int, column: int, depth: int = 8) -> list[tuple[int, str]]:
    """The window's lines under the return address, which is printed smaller (so its column drifts a little) and
    may share rows with the letterhead's column beside it."""
    block: list[tuple[int, str]] = []
    misses = 0
    for index in range(row + 1, min(len(lines), row + 1 + depth)):
        cell = _cell_at(lines[index], column, slack=5)
        if cell is None:
            misses += 1
            if misses == 3 or any(find_postcode(text) for _, text in block):
                break
            continue
        misses = 0
        block.append((index, cell))
        if country_of_line(cell) or len(block) == 6:
            break
    return block


def _block_around(lines: list[str], row: int, column: int) -> list[tuple[int, str]]:
    """The postcode line's column block: up to four lines above it (a line of another column may sit between
    them), from a salutation ("Herrn", "T.a.v.") on if there is one, then a country line below it."""
    above: list[tuple[int, str]] = []
    misses = 0
    for index in range(row - 1, max(-1, row - 6), -1):
        cell = _cell_at(lines[index], column)
        if cell is None:
            misses += 1
            if misses == 2:
                break
            continue
        # A heading, or a registry or bank line of a letterhead above, is where the block begins.
        if (_HEADING.match(cell) or _DELIVERY.search(cell) or _SELLER_MARK.search(cell) or cell.rstrip().endswith(":")
                or len(above) == 4):
            break
        misses = 0
        above.insert(0, (index, cell))
    salutations = [i for i, (_, cell) in enumerate(above) if _SALUTATION.match(cell.strip())]
    if salutations:
        above = above[salutations[-1]:]
    block = [*above, (row, _cell_at(lines[row], column) or "")]
    for index in range(row + 1, min(len(lines), row + 3)):
        below = _cell_at(lines[index], column)
        if below and country_of_line(below):
            block.append((index, below))
        if below:
            break
    return block


def _wide_cells(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", line)]


def _seller_marked(lines: list[str], block: list[tuple[int, str]], column: int, seller_name: str | None) -> bool:
    """Whether the block is the seller's: it starts with the seller's name, or it or the few lines under it
    (left- or right-aligned with it) carry registry, bank, web or phone lines."""
    if seller_name and " ".join(block[0][1].split()).casefold() == seller_name.casefold():
        return True
    if any(_SELLER_MARK.search(cell) for _, cell in block):
        return True
    low, high = column - 3, column + max(len(cell) for _, cell in block) + 3
    last = block[-1][0]
    for index in range(last + 1, min(len(lines), last + 6)):
        cells = [text for start, end, text in _wide_cells(lines[index]) if start < high and end > low]
        if any(_SELLER_MARK.search(text) for text in cells):
            return True
        if any(find_postcode(text) for text in cells):
            return False  # the next address block begins: its lines speak for it, not for this one
    return False


def _with_contact_lines(lines: list[str], block: list[tuple[int, str]], column: int) -> list[tuple[int, str]]:
    """The block and the e-mail and VAT lines printed under it in its column (they belong to the buyer); a phone
    line or a line of the other column may stand between them."""
    extended = list(block)
    for index in range(block[-1][0] + 1, min(len(lines), block[-1][0] + 4)):
        cell = _cell_at(lines[index], column)
        if cell is not None and _CONTACT.search(cell):
            extended.append((index, cell))
        elif cell is not None and not _PHONE.fullmatch(cell.strip(" ☎✆")):
            break
    return extended


def _postcode_blocks(lines: list[str], sender: ReturnAddress | None) -> list[tuple[int, list[tuple[int, str]]]]:
    """(column, block) of every address block near the top of the page, top first."""
    found = []
    for row in range(min(_TOP, len(lines))):
        for column, cell in _cells(lines[row]):
            postcode = find_postcode(cell)
            if sender is not None and row == sender.line or postcode is None or _one_line_address(cell):
                continue
            if any((c := _cell_at(lines[i], column)) and find_postcode(c) for i in range(row + 1, row + 3)
                   if i < len(lines)):
                continue  # a house number first ("1242 chemin …"): the postcode is on a line below
            block = _block_around(lines, row, column)
            # A street line with a number above the postcode, or the street on the postcode's own line.
            has_street = (any(re.search(r"\d", text) for _, text in block[:-1]) or len(block) >= 3
                          or bool(re.search(r"\d", cell[:postcode.start])))
            heading = _cell_at(lines[block[0][0] - 1], column) if block[0][0] > 0 else None
            if len(block) >= 2 and has_street and not (heading and _DELIVERY.search(heading)):
                found.append((column, block))
    return found


def seller_block(lines: list[str], seller_name: str | None) -> list[str]:
    """The address lines of the first block near the top that bears the seller's marks (a letterhead whose
    name stands elsewhere, e.g. left with the address right-aligned)."""
    for column, block in _postcode_blocks(lines, return_address(lines)):
        if _seller_marked(lines, block, column, seller_name):
            return [text for _, text in block]
    return []


def window_block(lines: list[str], seller_name: str | None) -> list[tuple[int, str]]:
    """(line, text) of the recipient's name, address and contact lines, or [] when the top of the page shows none."""
    sender = return_address(lines)
    if sender is not None:
        block = _block_under(lines, sender.line, sender.column)
        if block and not _seller_marked(lines, block, sender.column, seller_name):
            return _with_contact_lines(lines, block, sender.column)
    for column, block in _postcode_blocks(lines, sender):
        if not _seller_marked(lines, block, column, seller_name):
            return _with_contact_lines(lines, block, column)
    return []


def aligned_under(lines: list[str], name: str) -> list[str]:
    """The lines under a party's name that start or end where it does (a right-aligned letterhead's street and
    town line up on their right edge; a column of "Name:" and "Anschrift:" values), where they hold a postcode;
    lines of another column may stand between them."""
    for row in range(min(_TOP, len(lines))):
        for start, end, text in _wide_cells(lines[row]):
            if " ".join(text.split()) != name:
                continue
            block: list[str] = []
            misses = 0
            for index in range(row + 1, min(len(lines), row + 9)):
                # Layout text places right edges loosely (a bold name in a larger font): a few columns of slack.
                cells = [t for s, e, t in _wide_cells(lines[index]) if abs(s - start) <= 3 or abs(e - end) <= 6]
                if not cells:
                    misses += 1
                    if misses == 3:
                        break
                    continue
                misses = 0
                block.append(cells[0])
            if any(find_postcode(cell) for cell in block):
                return block
    return []
