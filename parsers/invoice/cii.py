"""Read UN/CEFACT CII (Factur-X, ZUGFeRD 1 and 2, XRechnung CII) into a ParsedInvoice."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from parsers.date_text import parse_date
from parsers.invoice.model import ParsedInvoice, Party
from parsers.invoice.party_address import as_posted
from parsers.invoice.postal_address import printable_block
from parsers.invoice.terms import payment_terms_days
from parsers.invoice.ubl import CREDIT_TYPE_CODES
from parsers.invoice.xml_language import xml_language
from parsers.invoice.xml_tree import decimal, find, find_all, find_first, text, xml_date


def _party(node: etree._Element | None) -> Party:
    if node is None:
        return Party()
    vat_id = None
    for registration in find_all(node, "SpecifiedTaxRegistration/ID"):
        if registration.get("schemeID") in (None, "VA"):
            vat_id = text(registration, "")
            break
    kvk = None
    for identifier in find_all(node, "SpecifiedLegalOrganization/ID") + find_all(node, "GlobalID"):
        if identifier.get("schemeID") == "0106":
            kvk = text(identifier, "")
    email = text(node, "DefinedTradeContact/EmailURIUniversalCommunication/URIID")
    uri = find(node, "URIUniversalCommunication/URIID")
    if not email and uri is not None and uri.get("schemeID") == "EM":
        email = text(uri, "")
    address, country = _postal_address(find(node, "PostalTradeAddress"))
    return Party(name=text(node, "Name"), email=email, vat_id=vat_id, kvk=kvk, address=address, country=country)


def _postal_address(node: etree._Element | None) -> tuple[str | None, str | None]:
    """(address block without the country line, ISO country code) of a ram:PostalTradeAddress."""
    if node is None:
        return None, None
    country = (text(node, "CountryID") or "").upper() or None
    streets = [text(node, line) for line in ("LineOne", "LineTwo", "LineThree")]
    block = printable_block(streets, text(node, "PostcodeCode"), text(node, "CityName"),
                            text(node, "CountrySubDivisionName"), country, None)
    return block, country


def read_cii(root: etree._Element, filename: str | None, source: str = "cii") -> ParsedInvoice:
    """Fields of a CII document (D16B and ZUGFeRD 1 element names)."""
    header = find_first(root, "ExchangedDocument", "HeaderExchangedDocument")
    transaction = find_first(root, "SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
    agreement = find_first(transaction, "ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
    settlement = find_first(transaction, "ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")
    type_code = text(header, "TypeCode")
    is_credit = type_code in CREDIT_TYPE_CODES
    issue_date = xml_date(text(header, "IssueDateTime/DateTimeString"))
    due_date = None
    terms_parts = []
    for terms_node in find_all(settlement, "SpecifiedTradePaymentTerms"):
        due_date = due_date or xml_date(text(terms_node, "DueDateDateTime/DateTimeString"))
        if text(terms_node, "Description"):
            terms_parts.append(text(terms_node, "Description"))
    terms_text = " ".join(p for p in terms_parts if p)
    terms = payment_terms_days(terms_text, allow_bare_days=True) if terms_text else None
    if terms is None:
        notes = " ".join(filter(None, (text(n, "") for n in find_all(header, "IncludedNote/Content"))))
        terms = payment_terms_days(notes)
    if due_date is None and terms_text:
        due_date = parse_date(terms_text)
    if due_date is None and terms is not None and issue_date is not None:
        due_date = issue_date + timedelta(days=terms)
    totals = find_first(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation",
                        "SpecifiedTradeSettlementMonetarySummation")
    amount = decimal(totals, "DuePayableAmount")
    if amount is None:
        grand = decimal(totals, "GrandTotalAmount")
        prepaid = decimal(totals, "TotalPrepaidAmount") or 0
        amount = None if grand is None else grand - prepaid
    excl = decimal(totals, "TaxBasisTotalAmount")
    vat = decimal(totals, "TaxTotalAmount")
    if is_credit:
        amount, excl, vat = (None if v is None else -abs(v) for v in (amount, excl, vat))
    seller = _party(find(agreement, "SellerTradeParty"))
    iban = None
    for means in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans"):
        iban = text(means, "PayeePartyCreditorFinancialAccount/IBANID")
        if iban:
            break
    seller = Party(**{**seller.__dict__, "iban": iban})
    currency = text(settlement, "InvoiceCurrencyCode")
    if currency is None:
        grand_node = find(totals, "GrandTotalAmount")
        currency = grand_node.get("currencyID") if grand_node is not None else None
    buyer = _party(find(agreement, "BuyerTradeParty"))
    language = xml_language(root, (buyer.country, seller.country))
    seller, buyer = as_posted(seller, buyer, language), as_posted(buyer, seller, language)
    return ParsedInvoice(
        invoice_number=text(header, "ID"), issue_date=issue_date, due_date=due_date, payment_terms_days=terms,
        currency=currency, amount_due=amount, total_excl_vat=excl, vat_total=vat, is_credit_note=is_credit,
        seller=seller, buyer=buyer,
        payment_reference=text(settlement, "PaymentReference"), source=source, filename=filename, language=language,
    )
