"""Structured payment references: ISO 11649 creditor references (RF) and Belgian OGM/VCS, made and found.

Check digits are computed and verified by python-stdnum; this module only decides what to feed it.
"""

import hashlib
import re

from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.iso7064 import mod_97_10

MAX_BODY = 21  # an RF is at most 25 characters: "RF", two check digits and up to 21 letters or digits

# Both may be written in groups of four ("RF18 5390 0754 7034") or, for OGM, as +++123/4567/89002+++.
_RF_IN_TEXT = re.compile(r"\bRF\s?\d{2}((?:\s?[0-9A-Z]+)+)", re.IGNORECASE)
# An OGM inside text only counts when written as one (delimiters or slashes): twelve loose digits could be anything.
_OGM_IN_TEXT = re.compile(r"(?:\+{3}|\*{3})\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*(?:\+{3}|\*{3})"
                          r"|\b(\d{3})/(\d{4})/(\d{5})\b")


def creditor_reference(seed: str) -> str:
    """The RF reference (compact) for an invoice number: its letters and digits when they fit, else a digest.

    Deterministic, so the same invoice number always gets the same reference and it can be recomputed.
    """
    body = re.sub(r"[^0-9A-Z]", "", seed.upper())
    if not body or len(body) > MAX_BODY:
        body = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:MAX_BODY]
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def printed(reference: str) -> str:
    """How a reference is printed on a letter: RF in groups of four, OGM as +++123/4567/89002+++."""
    if reference.upper().startswith("RF") and iso11649.is_valid(reference):
        return iso11649.format(reference)
    if ogm_vcs.is_valid(reference):
        return f"+++{ogm_vcs.format(reference)}+++"
    return reference


def structured_reference(text: str | None) -> str | None:
    """The compact RF or OGM when `text` is exactly one valid structured reference, else None."""
    if not text:
        return None
    if iso11649.is_valid(text):
        return iso11649.compact(text)
    if re.fullmatch(r"[\s+*/0-9]+", text) and ogm_vcs.is_valid(text.replace("*", "+")):
        return ogm_vcs.compact(text.replace("*", "+"))
    return None


def find_references(text: str) -> list[str]:
    """Valid RF and OGM references written inside free text (remittance information), compact, in order."""
    found = []
    for m in _RF_IN_TEXT.finditer(text):
        ref = _longest_valid_rf(re.sub(r"^RF\s", "RF", m.group(0), flags=re.IGNORECASE))
        if ref and ref not in found:
            found.append(ref)
    for m in _OGM_IN_TEXT.finditer(text):
        digits = "".join(g for g in m.groups() if g)
        if ogm_vcs.is_valid(digits) and digits not in found:
            found.append(digits)
    return found


def _longest_valid_rf(candidate: str) -> str | None:
    """The text after an RF may run on into words ("RF18 5390 0754 7034 dank"): keep the longest valid prefix
    that ends at a word boundary."""
    head, *groups = candidate.split()
    if len(head) > 4:  # written without spaces after the check digits
        head, groups = head[:4], [head[4:], *groups]
    best = None
    body = ""
    for group in groups:
        body += group
        if len(body) > MAX_BODY:
            break
        best = structured_reference(head + body) or best
    return best
