"""Read invoice fields from PDF layout text without templates: labels, values beside or below them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from parsers.amount_text import currency_in, find_amounts
from parsers.date_text import find_dates
from parsers.invoice import totals
from parsers.invoice.labels import CREDIT_BALANCE
from parsers.invoice.language import detect_language, leading_language, uses_us_dates
from parsers.invoice.layout import Hit, below, beside, find_hits, normalise_lines
from parsers.invoice.model import ParsedInvoice, Party
from parsers.invoice.parties import read_parties
from parsers.invoice.party_address import as_posted
from parsers.invoice.terms import payment_terms_clause

LABELLED, BELOW, GUESSED, DERIVED = 0.95, 0.85, 0.4, 0.85
# Below the worker's 0.8 threshold: a field that failed a cross-check holds the invoice for a person.
UNSURE = 0.5
_NUMBER_TOKEN = re.compile(r"[A-Za-z0-9][\w/.\-]*[A-Za-z0-9_]|\d")
# A document title followed, a few words on, by a number marker: "Gutschrift (Selbst ausgestellte Rechnung) Nr. 4711".
_MARKED_NUMBER = re.compile(r".{0,50}?(?<![\w\-])(?:nr|no|n[°º]|nummer|number)\.?\s*[:#]?\s*"
                            r"([A-Za-z0-9][\w/.\-]*[A-Za-z0-9_]|\d)", re.I)
_DATE_LEAD = re.compile(r"(?:vom|van|du|of|dated|d\.d\.|le|from)\s*:?\s*$", re.I)
_EURO_AREA = {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL",
              "PT", "SI", "SK"}
_CREDIT_BALANCE = re.compile(CREDIT_BALANCE, re.I)
_CREDIT = re.compile(r"\b(?:credit\s*nota|creditnota|credit\s*note|creditfactuur|avoir|storno)\b", re.I)


@dataclass
class _Found:
    value: object = None
    confidence: float = 0.0
    hit: Hit | None = None


@dataclass
class _Context:
    lines: list[str]
    hits: list[Hit]
    us_dates: bool
    decimal_hint: str | None
    found: dict[str, _Found] = field(default_factory=dict)


def _ranked(ctx: _Context, name: str) -> list[Hit]:
    hits = [h for h in ctx.hits if h.field == name]
    return sorted(hits, key=lambda h: (-h.priority, h.line))


def _number(ctx: _Context) -> _Found:
    for hit in _ranked(ctx, "invoice_number"):
        texts = [(beside(ctx.lines, ctx.hits, hit), LABELLED)]
        if hit.priority >= 2:
            texts += [(cell, BELOW) for cell in below(ctx.lines, hit, 1)]
        for text, score in texts:
            text = re.sub(r"^[\s:#.\-]*(?:n[°ºo]\.?|nr\.?|no\.?|num(?:ber|mer)?\.?)?[\s:#.]*", "", text, flags=re.I)
            m = _NUMBER_TOKEN.match(text)
            if not m or not any(c.isdigit() for c in m.group(0)):
                marked = _MARKED_NUMBER.match(ctx.lines[hit.line], hit.end) if score == LABELLED else None
                if marked:
                    return _Found(marked.group(1), LABELLED - 0.1, hit)
                continue
            token = m.group(0)
            if hit.priority == 1 and (m.start() > 0 or len(token) < 3):
                marked = _MARKED_NUMBER.match(ctx.lines[hit.line], hit.end)
                if not marked:
                    continue
                token = marked.group(1)
            if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", token):
                continue
            return _Found(token, score if hit.priority >= 2 else score - 0.1, hit)
    return _Found()


def _date_for(ctx: _Context, name: str, min_priority: int = 0) -> _Found:
    for hit in _ranked(ctx, name):
        if hit.priority < min_priority:
            continue
        text = beside(ctx.lines, ctx.hits, hit)
        dates = find_dates(text[:40], ctx.us_dates)
        if dates:
            return _Found(dates[0].value, LABELLED if hit.priority >= 2 else LABELLED - 0.1)
        for cell in below(ctx.lines, hit):
            dates = find_dates(cell, ctx.us_dates)
            if dates:
                return _Found(dates[0].value, BELOW)
    return _Found()


def _amount_for(ctx: _Context, name: str) -> tuple[_Found, str | None]:
    best: tuple[int, int, Decimal, str | None] | None = None
    for hit in ctx.hits:
        if hit.field != name:
            continue
        amounts = [a for a in find_amounts(beside(ctx.lines, ctx.hits, hit), ctx.decimal_hint) if a.has_decimals]
        if not amounts:
            cells = [c for c in below(ctx.lines, hit, 1)] or [""]
            amounts = [a for a in find_amounts(cells[0], ctx.decimal_hint) if a.has_decimals]
        if not amounts:
            continue
        chosen = amounts[-1]
        key = (hit.priority, hit.line)
        if best is None or key > best[:2]:
            best = (hit.priority, hit.line, chosen.value, chosen.currency)
    if best is None:
        return _Found(), None
    return _Found(best[2], LABELLED if best[0] >= 3 else 0.85 if best[0] == 2 else 0.8), best[3]


def _amount_due(ctx: _Context) -> tuple[_Found, str | None, bool]:
    """The amount due, its currency, and whether its label says the balance is the customer's (a credit)."""
    chosen, explicit = totals.amount_due(ctx.lines, ctx.hits, ctx.decimal_hint)
    if chosen is None:
        return _Found(), None, False
    score = LABELLED if explicit or chosen.hit.priority >= 3 else 0.85 if chosen.hit.priority == 2 else 0.8
    label = ctx.lines[chosen.hit.line][chosen.hit.start:chosen.hit.end]
    return _Found(chosen.amount.value, score), chosen.amount.currency, bool(_CREDIT_BALANCE.fullmatch(label))


def _terms(ctx: _Context) -> tuple[int | None, date | None]:
    """Net days of the payment terms and a date printed inside the same clause ("netto bis 04.07.2018")."""
    for line in ctx.lines:
        labelled = re.search(r"(?:terms|termijn|bedingung|conditions|zahlungsziel|betalingsvoorwaarden|condiciones|"
                             r"termini|condições|warunki|forma\s+płatności|betalningsvillkor|betalingsbetingelser|"
                             r"maksuehdot|platební|platobné|plačilni|uvjeti|fizetési|condiții)", line, re.I)
        found = payment_terms_clause(line, allow_bare_days=bool(labelled))
        if found is not None:
            dates = find_dates(found[1], ctx.us_dates)
            return found[0], dates[-1].value if dates else None
    return None, None


def _date_on_number_line(ctx: _Context, number: _Found) -> _Found:
    """The date printed after the invoice number on its line ("Rechnung Nr. 42 vom 05.06.2018")."""
    for hit in [number.hit] if number.hit else []:
        rest = ctx.lines[hit.line][hit.end:]
        dates = find_dates(rest, ctx.us_dates)
        if dates:
            return _Found(dates[0].value, BELOW)
        # "Nr. 471102 vom" at the end of the line, the date first on the next one.
        if _DATE_LEAD.search(rest) and hit.line + 1 < len(ctx.lines):
            dates = find_dates(ctx.lines[hit.line + 1][:40], ctx.us_dates)
            if dates and not ctx.lines[hit.line + 1][:dates[0].start].strip():
                return _Found(dates[0].value, BELOW)
    return _Found()


def _cross_checked(number: str | None, amount: Decimal | None, excl: Decimal | None, vat: Decimal | None,
                   seller: Party, buyer: Party, confidence: dict[str, float]) -> dict[str, float]:
    """Fields that fail a check against the others become unsure (the invoice is held, never guessed):
    an amount due above total excl. VAT + VAT (prepayments only lower it); a "number" that is a VAT, KvK or
    customer's VAT id."""
    unsure: dict[str, float] = {}
    if amount is not None and excl is not None and vat is not None and amount > excl + vat + Decimal("0.01"):
        unsure["amount_due"] = min(confidence.get("amount_due", 1.0), UNSURE)
    compact = re.sub(r"[\s.\-]", "", number or "").upper()
    identifiers = {re.sub(r"[\s.\-]", "", i).upper() for i in (seller.vat_id, seller.kvk, buyer.vat_id) if i}
    if compact and compact in identifiers:
        unsure["invoice_number"] = min(confidence.get("invoice_number", 1.0), UNSURE)
    return unsure


def read_text(pages: list[str], filename: str | None) -> ParsedInvoice:
    """Fields from page texts; `confidence` says how each was found (label, cell below, derived or guessed)."""
    lines = normalise_lines(pages)
    full = "\n".join(lines)
    language = detect_language(full)
    # Number and date formats follow the leading language even where its lead is too small to name the language.
    leaning = language or leading_language(full)
    decimal_hint = "," if leaning in ("nl", "de", "fr") else "." if leaning == "en" else None
    ctx = _Context(lines, find_hits(lines), uses_us_dates(full, leaning), decimal_hint)
    confidence: dict[str, float] = {}
    number = _number(ctx)
    issue = _date_for(ctx, "issue_date", min_priority=2)
    if issue.value is None:
        issue = _date_on_number_line(ctx, number)
    if issue.value is None:
        issue = _date_for(ctx, "issue_date")
    if issue.value is None:
        dates = find_dates(full, ctx.us_dates)
        issue = _Found(dates[0].value, GUESSED) if dates else _Found()
    due = _date_for(ctx, "due_date")
    terms, terms_date = _terms(ctx)
    if due.value is None and terms_date is not None:
        due = _Found(terms_date, 0.9)
    if due.value is None and terms is not None and isinstance(issue.value, date):
        due = _Found(issue.value + timedelta(days=terms), min(DERIVED, issue.confidence))
    if isinstance(due.value, date) and isinstance(issue.value, date) and abs((due.value - issue.value).days) > 400:
        due = _Found(due.value, GUESSED)
    amount, amount_currency, credit_balance = _amount_due(ctx)
    excl, _ = _amount_for(ctx, "total_excl_vat")
    vat, _ = _amount_for(ctx, "vat_total")
    currency = amount_currency or currency_in(full)
    is_credit = credit_balance or bool(_CREDIT.search("\n".join(lines[:25])))
    amount_value = amount.value
    if is_credit and isinstance(amount_value, Decimal):
        amount_value = -abs(amount_value)
    seller, buyer = read_parties(lines, ctx.hits, language or leaning)
    if language is None:
        language = detect_language(full, (buyer.country, seller.country))
    seller, buyer = as_posted(seller, buyer, language), as_posted(buyer, seller, language)
    # Amounts printed without any currency: an account in the euro area means euros (less sure than a printed sign).
    euro_account = bool(seller.iban and seller.iban[:2] in _EURO_AREA)
    if currency is None and euro_account:
        currency = "EUR"
    for key, found in (("invoice_number", number), ("issue_date", issue), ("due_date", due),
                       ("amount_due", amount), ("total_excl_vat", excl), ("vat_total", vat)):
        if found.value is not None:
            confidence[key] = found.confidence
    confidence.update(_cross_checked(number.value, amount_value, excl.value, vat.value, seller, buyer, confidence))
    if currency:
        confidence["currency"] = LABELLED if amount_currency else 0.85 if currency_in(full) else 0.6
    if terms is not None:
        confidence["payment_terms_days"] = 0.9
    for key, value in (("seller.name", seller.name), ("buyer.name", buyer.name), ("buyer.email", buyer.email)):
        if value:
            confidence[key] = 0.6 if key.endswith("name") else 0.8
    return ParsedInvoice(
        invoice_number=number.value, issue_date=issue.value, due_date=due.value, payment_terms_days=terms,
        currency=currency, amount_due=amount_value, total_excl_vat=excl.value, vat_total=vat.value,
        is_credit_note=is_credit or (isinstance(amount_value, Decimal) and amount_value < 0),
        seller=seller, buyer=buyer, source="pdf-text", confidence=confidence, filename=filename,
        language=language,
    )
