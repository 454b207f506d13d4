"""Invoices in nl, en, de and fr between sellers and buyers in NL, BE, DE, FR and GB: PDFs (labelled buyer block or
letter window under a return address) and UBL/CII XML, each with the postal block the parser should read."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from babel import Locale
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Firm:
    """A party with its address as printed (street lines, postcode line, town line for Britain) and identifiers."""

    name: str
    streets: tuple[str, ...]
    postcode: str
    town: str
    country: str
    vat_id: str
    iban: str

    def town_lines(self) -> list[str]:
        """`1000 Bruxelles`, or a British town above its postcode."""
        return [self.town, self.postcode] if self.country == "GB" else [f"{self.postcode} {self.town}"]

    def block(self, other: Firm, language: str) -> str:
        """The address block as the parser returns it: the country's name only when abroad."""
        lines = [*self.streets, *self.town_lines()]
        if self.country != other.country:
            lines.append(Locale.parse(language).territories[self.country])
        return "\n".join(lines)


SELLERS = {
    "NL": Firm("Studio Noord B.V.", ("Keizersgracht 100",), "1015 AA", "Amsterdam", "NL", "NL000099998B57",
               "NL91ABNA0417164300"),
    "BE": Firm("Atelier Lambert SRL", ("Rue Haute 5",), "1000", "Bruxelles", "BE", "BE0403170701",
               "BE71096123456769"),
    "DE": Firm("Muster Technik GmbH", ("Lindenstraße 8",), "80331", "München", "DE", "DE136695976",
               "DE89370400440532013000"),
    "FR": Firm("Conseil Durand SARL", ("8 avenue Foch",), "69006", "Lyon", "FR", "FR40303265045",
               "FR1420041010050500013M02606"),
    "GB": Firm("Harbour Consulting Ltd", ("22 King Street",), "M2 4LQ", "Manchester", "GB", "GB980780684",
               "GB29NWBK60161331926819"),
}
BUYERS = {
    "NL": Firm("Bakkerij Het Korenaar", ("Stationsplein 1",), "3511 ED", "Utrecht", "NL", "NL810433941B01", ""),
    "BE": Firm("Brasserie du Parc", ("Rue de la Loi 16",), "1040", "Etterbeek", "BE", "BE0477472701", ""),
    "BE-nl": Firm("Drukkerij Peeters", ("Meir 24",), "2000", "Antwerpen", "BE", "BE0477472701", ""),
    "DE": Firm("Kunden AG", ("Hauptstraße 5", "Hinterhaus"), "10115", "Berlin", "DE", "DE811569869", ""),
    "FR": Firm("Ma Jolie Boutique", ("35 rue de la République",), "69001", "Lyon", "FR", "FR61954506077", ""),
    "GB": Firm("Riverside Books Ltd", ("10 Baker Street",), "NW1 6XE", "London", "GB", "GB980780684", ""),
}

_LABELS = {
    "nl": ("FACTUUR", "Factuuradres", "Factuurnummer", "Factuurdatum", "Vervaldatum", "Omschrijving",
           "Werkzaamheden volgens offerte", "Totaal incl. btw", "Te betalen",
           "Wij verzoeken u het bedrag binnen 30 dagen over te maken op rekening {iban} onder vermelding van het "
           "factuurnummer.", "Btw-nummer"),
    "en": ("INVOICE", "Bill to", "Invoice number", "Invoice date", "Due date", "Description",
           "Consultancy services as agreed", "Total incl. VAT", "Amount due",
           "Please pay within 30 days to account {iban} quoting the invoice number.", "VAT no."),
    "de": ("RECHNUNG", "Rechnungsempfänger", "Rechnungsnummer", "Rechnungsdatum", "Fällig am", "Beschreibung",
           "Beratungsleistungen laut Angebot", "Gesamtbetrag", "Zahlbetrag",
           "Bitte überweisen Sie den Betrag innerhalb von 30 Tagen auf das Konto {iban} unter Angabe der "
           "Rechnungsnummer.", "USt-IdNr."),
    "fr": ("FACTURE", "Facturé à", "Numéro de facture", "Date de facture", "Date d'échéance", "Désignation",
           "Prestations de conseil selon devis", "Total TTC", "Net à payer",
           "Merci de régler le montant dans les 30 jours par virement sur le compte {iban} en indiquant le numéro "
           "de facture.", "N° TVA"),
}
_DATES = {"nl": ("07-03-2025", "06-04-2025"), "en": ("7 March 2025", "6 April 2025"),
          "de": ("07.03.2025", "06.04.2025"), "fr": ("07/03/2025", "06/04/2025")}
_AMOUNT = {"nl": "€ 1.210,00", "en": "€1,210.00", "de": "1.210,00 €", "fr": "1 210,00 €"}


def _printed_lines(firm: Firm, other: Firm, language: str) -> list[str]:
    lines = [*firm.streets, *firm.town_lines()]
    if firm.country != other.country:
        lines.append(Locale.parse(language).territories[firm.country])
    return lines


def party_invoice_pdf(seller: Firm, buyer: Firm, language: str, *, window: bool = False,
                      buyer_vat: bool = False) -> bytes:
    """A one-page invoice: the seller's letterhead at the top right (with its VAT id and IBAN), the buyer under
    a label or, with `window`, under the seller's one-line return address without any label."""
    title, customer, number, issued, due, desc, line, total, pay, terms, vat_label = _LABELS[language]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawRightString(right, height - 20 * mm, seller.name)
    pdf.setFont("Helvetica", 9)
    y = height - 25 * mm
    for text in [*_printed_lines(seller, buyer, language), f"{vat_label} {seller.vat_id}", f"IBAN {seller.iban}",
                 "www.example.com"]:
        pdf.drawRightString(right, y, text)
        y -= 4.5 * mm
    y = height - 60 * mm
    if window:
        pdf.setFont("Helvetica", 6)
        pdf.drawString(left, y, f"{seller.name} · {' · '.join(seller.streets)} · {' '.join(seller.town_lines())}")
    else:
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(left, y, customer)
    pdf.setFont("Helvetica", 9)
    buyer_lines = [buyer.name, *_printed_lines(buyer, seller, language)]
    if buyer_vat:
        buyer_lines.append(f"{vat_label} {buyer.vat_id}")
    for text in buyer_lines:
        y -= 4.5 * mm
        pdf.drawString(left, y, text)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, height - 105 * mm, title)
    pdf.setFont("Helvetica", 9)
    y = height - 115 * mm
    for label, value in ((number, "2025-0042"), (issued, _DATES[language][0]), (due, _DATES[language][1])):
        pdf.drawString(left, y, f"{label}: {value}")
        y -= 4.5 * mm
    y -= 8 * mm
    pdf.drawString(left, y, desc)
    y -= 5 * mm
    pdf.drawString(left, y, line)
    pdf.drawRightString(right, y, _AMOUNT[language])
    y -= 10 * mm
    for label in (total, pay):
        pdf.drawString(120 * mm, y, label)
        pdf.drawRightString(right, y, _AMOUNT[language])
        y -= 5 * mm
    y -= 10 * mm
    pdf.drawString(left, y, terms.format(iban=seller.iban))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def party_ubl(seller: Firm, buyer: Firm, note: str, pdf: bytes | None = None) -> bytes:
    """A UBL invoice with both parties' cac:PostalAddress (street and building number apart), one note and,
    optionally, the invoice's PDF as an embedded attachment."""
    def party(firm: Firm) -> str:
        street, _, number = firm.streets[0].rpartition(" ")
        if not number.isdigit():
            street, number = firm.streets[0], ""
        building = f"<cbc:BuildingNumber>{number}</cbc:BuildingNumber>" if number else ""
        extra = "".join(f"<cbc:AdditionalStreetName>{s}</cbc:AdditionalStreetName>" for s in firm.streets[1:])
        return (f"<cac:Party><cac:PostalAddress><cbc:StreetName>{street}</cbc:StreetName>{building}{extra}"
                f"<cbc:CityName>{firm.town}</cbc:CityName><cbc:PostalZone>{firm.postcode}</cbc:PostalZone>"
                f"<cac:Country><cbc:IdentificationCode>{firm.country}</cbc:IdentificationCode></cac:Country>"
                f"</cac:PostalAddress><cac:PartyLegalEntity><cbc:RegistrationName>{firm.name}"
                f"</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>")
    attachment = "" if pdf is None else (
        "<cac:AdditionalDocumentReference><cbc:ID>invoice.pdf</cbc:ID><cac:Attachment>"
        '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="invoice.pdf">'
        f"{base64.b64encode(pdf).decode()}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
        "</cac:AdditionalDocumentReference>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>2025-0042</cbc:ID><cbc:IssueDate>2025-03-07</cbc:IssueDate><cbc:DueDate>2025-04-06</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:Note>{note}</cbc:Note>
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>{attachment}
 <cac:AccountingSupplierParty>{party(seller)}</cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty>{party(buyer)}</cac:AccountingCustomerParty>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">1210.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
</Invoice>""".encode()


def party_cii(seller: Firm, buyer: Firm, note: str) -> bytes:
    """A CII (Factur-X) invoice with both parties' ram:PostalTradeAddress and one note."""
    def party(tag: str, firm: Firm) -> str:
        names = ("LineOne", "LineTwo")[:len(firm.streets)]
        lines = "".join(f"<ram:{name}>{s}</ram:{name}>" for name, s in zip(names, firm.streets, strict=True))
        return (f"<ram:{tag}><ram:Name>{firm.name}</ram:Name><ram:PostalTradeAddress>"
                f"<ram:PostcodeCode>{firm.postcode}</ram:PostcodeCode>{lines}<ram:CityName>{firm.town}</ram:CityName>"
                f"<ram:CountryID>{firm.country}</ram:CountryID></ram:PostalTradeAddress></ram:{tag}>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>RE-42</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20250307</udt:DateTimeString></ram:IssueDateTime>
  <ram:IncludedNote><ram:Content>{note}</ram:Content></ram:IncludedNote>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>{party("SellerTradeParty", seller)}{party("BuyerTradeParty", buyer)}
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>1210.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>1210.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>""".encode()
