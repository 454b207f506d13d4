"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS 3, NLCIUS) into a ParsedInvoice."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from parsers.date_text import parse_date
from parsers.invoice.model import ParsedInvoice, Party
from parsers.invoice.party_address import as_posted
from parsers.invoice.postal_address import printable_block, street_line
from parsers.invoice.terms import payment_terms_days
from parsers.invoice.xml_language import xml_language
from parsers.invoice.xml_tree import decimal, find, find_all, text, xml_date

CREDIT_TYPE_CODES = {"381", "81", "83", "261", "262", "296", "308", "396", "420", "458", "532"}


def _party(node: etree._Element | None) -> Party:
    if node is None:
        return Party()
    name = (text(node, "PartyLegalEntity/RegistrationName") or text(node, "PartyName/Name"))
    vat_id = None
    for scheme in find_all(node, "PartyTaxScheme"):
        if (text(scheme, "TaxScheme/ID") or "VAT").upper() == "VAT":
            vat_id = text(scheme, "CompanyID")
            break
    kvk = None
    legal = find(node, "PartyLegalEntity/CompanyID")
    if legal is not None and (legal.get("schemeID") in (None, "0106") or (legal.text or "").isdigit()):
        candidate = text(legal, "")
        if candidate and candidate.isdigit() and len(candidate) == 8:
            kvk = candidate
    for identification in find_all(node, "PartyIdentification/ID"):
        if identification.get("schemeID") == "0106" and not kvk:
            kvk = text(identification, "")
    email = text(node, "Contact/ElectronicMail")
    endpoint = find(node, "EndpointID")
    if not email and endpoint is not None and endpoint.get("schemeID") == "EM":
        email = text(endpoint, "")
    address, country = _postal_address(find(node, "PostalAddress"))
    return Party(name=name, email=email, vat_id=vat_id, kvk=kvk, address=address, country=country)


def _postal_address(node: etree._Element | None) -> tuple[str | None, str | None]:
    """(address block without the country line, ISO country code) of a cac:PostalAddress."""
    if node is None:
        return None, None
    country = (text(node, "Country/IdentificationCode") or "").upper() or None
    streets = [street_line(text(node, "StreetName"), text(node, "BuildingNumber"), country),
               text(node, "AdditionalStreetName"), *(text(line, "Line") for line in find_all(node, "AddressLine"))]
    block = printable_block(streets, text(node, "PostalZone"), text(node, "CityName"),
                            text(node, "CountrySubentity"), country, None)
    return block, country


def read_ubl(root: etree._Element, filename: str | None) -> ParsedInvoice:
    """Fields of a UBL document; amounts negated for a CreditNote or credit type code."""
    type_code = text(root, "InvoiceTypeCode") or text(root, "CreditNoteTypeCode")
    is_credit = etree.QName(root).localname == "CreditNote" or type_code in CREDIT_TYPE_CODES
    issue_date = xml_date(text(root, "IssueDate"))
    due_date = xml_date(text(root, "DueDate") or text(root, "PaymentMeans/PaymentDueDate"))
    terms_text = " ".join(filter(None, (text(t, "Note") for t in find_all(root, "PaymentTerms"))))
    terms = payment_terms_days(terms_text, allow_bare_days=True) if terms_text else None
    if terms is None:
        notes = " ".join(filter(None, (text(n, "") for n in find_all(root, "Note"))))
        terms = payment_terms_days(notes)
    if due_date is None and terms_text:
        due_date = parse_date(terms_text)
    if due_date is None and terms is not None and issue_date is not None:
        due_date = issue_date + timedelta(days=terms)
    totals = find(root, "LegalMonetaryTotal")
    amount = decimal(totals, "PayableAmount")
    if amount is None:
        amount = decimal(totals, "TaxInclusiveAmount")
    excl = decimal(totals, "TaxExclusiveAmount")
    vat = decimal(root, "TaxTotal/TaxAmount")
    if is_credit:
        amount, excl, vat = (None if v is None else -abs(v) for v in (amount, excl, vat))
    seller = _party(find(root, "AccountingSupplierParty/Party"))
    iban = None
    for means in find_all(root, "PaymentMeans"):
        iban = text(means, "PayeeFinancialAccount/ID")
        if iban:
            break
    seller = Party(**{**seller.__dict__, "iban": iban})
    buyer = _party(find(root, "AccountingCustomerParty/Party"))
    language = xml_language(root, (buyer.country, seller.country))
    seller, buyer = as_posted(seller, buyer, language), as_posted(buyer, seller, language)
    return ParsedInvoice(
        invoice_number=text(root, "ID"), issue_date=issue_date, due_date=due_date, payment_terms_days=terms,
        currency=text(root, "DocumentCurrencyCode"), amount_due=amount, total_excl_vat=excl, vat_total=vat,
        is_credit_note=is_credit, seller=seller, buyer=buyer,
        payment_reference=text(root, "PaymentMeans/PaymentID"), source="ubl", filename=filename,
        language=language,
    )
