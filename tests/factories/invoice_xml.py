"""Generators of small UBL 2.1 and CII (Factur-X) invoice XML documents for parser tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def make_ubl(*, number: str = "F2025-17", issue: date = date(2025, 3, 1), due: date | None = date(2025, 3, 31),
             payable: Decimal = Decimal("1210.00"), credit_note: bool = False, terms_note: str | None = None,
             buyer_email: str | None = "inkoop@klant.nl") -> bytes:
    """A UBL Invoice (or CreditNote with positive amounts, as UBL writes them)."""
    root = "CreditNote" if credit_note else "Invoice"
    type_element = ("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" if credit_note
                    else "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>")
    due_element = f"<cbc:DueDate>{due.isoformat()}</cbc:DueDate>" if due and not credit_note else ""
    terms = f"<cac:PaymentTerms><cbc:Note>{terms_note}</cbc:Note></cac:PaymentTerms>" if terms_note else ""
    contact = (f"<cac:Contact><cbc:ElectronicMail>{buyer_email}</cbc:ElectronicMail></cac:Contact>"
               if buyer_email else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>{number}</cbc:ID><cbc:IssueDate>{issue.isoformat()}</cbc:IssueDate>{due_element}{type_element}
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:AccountingSupplierParty><cac:Party>
  <cac:PostalAddress><cbc:StreetName>Dorpsstraat 1</cbc:StreetName><cbc:CityName>Zwolle</cbc:CityName>
  </cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>NL000099998B57</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID>
  </cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>Leverancier B.V.</cbc:RegistrationName>
  <cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cac:PartyLegalEntity><cbc:RegistrationName>Klant B.V.</cbc:RegistrationName></cac:PartyLegalEntity>
  {contact}
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>{number}</cbc:PaymentID>
  <cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
 {terms}
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">210.00</cbc:TaxAmount></cac:TaxTotal>
 <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="EUR">1000.00</cbc:TaxExclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">{payable}</cbc:PayableAmount></cac:LegalMonetaryTotal>
</{root}>""".encode()


def make_cii(*, number: str = "RE-471", issue: date = date(2025, 3, 5), type_code: str = "380",
             due: date | None = None, terms: str = "Zahlbar innerhalb 30 Tagen netto bis 04.04.2025",
             due_payable: Decimal = Decimal("529.87")) -> bytes:
    """A Factur-X / ZUGFeRD 2 (CII D16B) invoice."""
    due_element = (f"<ram:DueDateDateTime><udt:DateTimeString format=\"102\">{due:%Y%m%d}</udt:DateTimeString>"
                   "</ram:DueDateDateTime>" if due else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">{issue:%Y%m%d}</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Kunden AG</ram:Name>
    <ram:URIUniversalCommunication><ram:URIID schemeID="EM">rechnung@kunden.de</ram:URIID>
    </ram:URIUniversalCommunication></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradePaymentTerms><ram:Description>{terms}</ram:Description>{due_element}
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>473.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">56.87</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>529.87</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{due_payable}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()
