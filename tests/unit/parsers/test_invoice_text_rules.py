"""Template-free text rules on hand-written page texts: totals, labels, dates, parties."""

from datetime import date
from decimal import Decimal

import pytest

from parsers.invoice.text_reader import read_text


def _read(text: str):
    return read_text([text], "t.pdf")


def test_explicit_amount_due_beats_bigger_total():
    invoice = _read("Factuurnummer 2026-001\nFactuurdatum 01-03-2026\n"
                    "                 Totaal      € 1.210,00\n                 Reeds betaald € 210,00\n"
                    "                 Nog te betalen € 1.000,00\n")
    assert invoice.amount_due == Decimal("1000.00")


def test_biggest_unqualified_total_wins_without_amount_due_label():
    invoice = _read("Invoice number INV-7\nInvoice date 2026-03-01\n"
                    "          Total           $ 279.84\n          Net total       $ 262.90\n"
                    "          Tax Total       $ 16.94\n          Total paid      $ 500.00\n")
    assert invoice.amount_due == Decimal("279.84")


def test_te_betalen_on_its_own_line_with_amount_below_on_the_right():
    invoice = _read("Factuurnummer: F-42\nFactuurdatum: 12-03-2026\n"
                    "                                  Totaal            € 96,80\n"
                    "                                  Te betalen\n"
                    "                                                        € 96,80\n")
    assert invoice.amount_due == Decimal("96.80")


def test_amounts_without_currency_sign_and_eur_from_header():
    invoice = _read("FACTUUR        Bedragen in EUR\nFactuurnr   Factuurdatum   Vervaldatum\n"
                    "2026.8      27-06-2026     11-07-2026\n                 Totaal       12.388,66\n")
    assert (invoice.invoice_number, invoice.issue_date, invoice.due_date) == ("2026.8", date(2026, 6, 27),
                                                                               date(2026, 7, 11))
    assert invoice.amount_due == Decimal("12388.66")
    assert invoice.currency == "EUR"


def test_label_about_another_invoice_is_ignored():
    invoice = _read("FACTURE N° : F20260023\nDate : 31/01/2026\n"
                    "DATE DE FACTURE ASSOCIÉE : 01/01/2026\nNET A PAYER 104,90 EUR\n")
    assert invoice.issue_date == date(2026, 1, 31)


def test_number_after_marker_on_title_line_and_date_on_next_line():
    invoice = _read("Gutschrift   (Selbst   ausgestellte    Rechnung)   Nr.  471102  vom\n05.03.2018\n"
                    "Zahlbetrag     529,87\n")
    assert invoice.invoice_number == "471102"
    assert invoice.issue_date == date(2018, 3, 5)
    assert invoice.amount_due == Decimal("529.87")


def test_due_date_from_payment_sentence():
    invoice = _read("Rechnung # RE-1 von 09.05.2017\nGesamtbetrag: 571,04 €\n"
                    "Bitte überweisen Sie bis zum 30.05.2017.\n")
    assert invoice.due_date == date(2017, 5, 30)


def test_written_dutch_dates_and_terms_give_due_date():
    invoice = _read("Factuurnummer: 2026-017\nDatum: 12 maart 2026\nTotaal incl. btw: € 1.210,00\n"
                    "Ik verzoek u het bedrag binnen 14 dagen na factuurdatum over te maken.\n")
    assert invoice.issue_date == date(2026, 3, 12)
    assert invoice.payment_terms_days == 14
    assert invoice.due_date == date(2026, 3, 26)


def test_us_dates_only_in_us_shaped_english():
    english = _read("Invoice INV-1\nInvoice Date: 03/04/2026\nAmount due: $ 10.00\n")
    dutch = _read("Factuurnummer F-1\nFactuurdatum: 03/04/2026\nTe betalen: € 10,00\n")
    assert english.issue_date == date(2026, 3, 4)
    assert dutch.issue_date == date(2026, 4, 3)


def test_credit_note_amount_is_negative():
    invoice = _read("Creditnota\nCreditnotanummer CN-2026-003\nDatum 2 februari 2026\nBetreft factuur 2026-0040\n"
                    "                      Totaal te crediteren   € 121,00\n")
    assert invoice.is_credit_note
    assert invoice.invoice_number == "CN-2026-003"
    assert invoice.amount_due == Decimal("-121.00")


def test_belgian_vervaldag_and_amounts_with_eur_suffix():
    invoice = _read("FACTUUR\nFactuurnr.   2026-0012\nFactuurdatum 05/02/2026\nVervaldag    07/03/2026\n"
                    "BTW BE0403.170.701\nTotaal incl. BTW      1.452,00 EUR\n"
                    "Gelieve te betalen met gestructureerde mededeling +++123/4567/89012+++\n")
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 2, 5), date(2026, 3, 7))
    assert invoice.amount_due == Decimal("1452.00")
    assert invoice.seller.vat_id == "BE0403170701"


def test_buyer_block_contact_and_general_email_never_the_sellers():
    invoice = _read("Drukkerij De Zwaan BV\n                       administratie@dezwaan.nl\n"
                    "Factuur aan:\nBakkerij Het Korenaar\nDorpsstraat 3\n1421 AA Uithoorn\n"
                    "marieke@korenaar.nl\ninfo@korenaar.nl\nFactuurnummer 1\nTe betalen € 5,00\n")
    assert invoice.buyer.email == "marieke@korenaar.nl"
    assert invoice.buyer.general_email == "info@korenaar.nl"
    assert invoice.buyer.name == "Bakkerij Het Korenaar"
    assert invoice.buyer.address == "Dorpsstraat 3\n1421 AA Uithoorn" and invoice.buyer.country == "NL"
    assert invoice.seller.name == "Drukkerij De Zwaan BV"
    assert invoice.seller.email == "administratie@dezwaan.nl"


def test_buyer_email_without_block_by_domain():
    invoice = _read("Au bon moulin SARL - 1242 chemin de l'olive\n   http://www.aubonmoulin.fr\nFacture FA-1\n"
                    "Ma jolie boutique\n✉ sav@majolieboutique.net\nContact commercial ✉ tony@aubonmoulin.fr\n"
                    "Total TTC 671,15 €\n")
    assert invoice.buyer.email == "sav@majolieboutique.net"


def test_a_bare_nummer_label_beside_the_number():
    invoice = _read("RECHNUNG\nNummer  R-2026-118\nDatum   12.03.2026\n\n"
                    "                 Gesamtbetrag      1.190,00 €\n")
    assert invoice.invoice_number == "R-2026-118"


def test_a_bare_no_label_beside_the_number():
    invoice = _read("INVOICE\nNo.   4471\nDate  2026-03-12\n\n                 Total due   € 350.00\n")
    assert invoice.invoice_number == "4471"


def test_montant_a_payer_with_space_grouped_thousands():
    invoice = _read("FACTURE\nFacture n° FA-2026-31\nDate de facture 12/03/2026\n"
                    "                 Total HT             50 653,07 €\n"
                    "                 TVA 20 %             10 130,61 €\n"
                    "                 Montant à payer      60 783,68 €\n")
    assert invoice.amount_due == Decimal("60783.68")


def test_outstanding_balance_after_a_prepayment():
    invoice = _read("Invoice number INV-9\nInvoice date 2026-03-01\n"
                    "          Total              € 2,076.76\n          Prepaid            € 623.00\n"
                    "          Outstanding        € 1,453.76\n")
    assert invoice.amount_due == Decimal("1453.76")


def test_a_balance_the_customer_receives_is_a_credit():
    invoice = _read("Factuurnummer 2026-044\nFactuurdatum 01-03-2026\n"
                    "                 Totaal               € 96,80\n"
                    "                 Reeds betaald        € 216,80\n"
                    "                 Per saldo te ontvangen  € 120,00\n")
    assert invoice.amount_due == Decimal("-120.00") and invoice.is_credit_note


# Invoices in EU languages beyond the four with hand-tuned rules: labels from field_labels.toml (EN 16931 terms).
OTHER_LANGUAGES = {
    "it": ("ACME Italia S.r.l.\nVia Roma 1, 20100 Milano\nFATTURA\nNumero fattura: FT-2026/118\n"
           "Data fattura: 12/03/2026\nScadenza: 11/04/2026\n"
           "Descrizione        Quantità    Prezzo     Importo\nConsulenza         10          100,00     1.000,00\n"
           "                   Imponibile            1.000,00 €\n                   IVA 22%                 220,00 €\n"
           "                   Totale da pagare      1.220,00 €\n",
           ("FT-2026/118", date(2026, 3, 12), date(2026, 4, 11), Decimal("1220.00"))),
    "es": ("Empresa S.L.\nFACTURA\nNº factura: F-2026-77\nFecha de factura: 12/03/2026\nVencimiento: 11/04/2026\n"
           "                 Base imponible     500,00 €\n                 IVA 21%            105,00 €\n"
           "                 Total a pagar      605,00 €\n",
           ("F-2026-77", date(2026, 3, 12), date(2026, 4, 11), Decimal("605.00"))),
    "pl": ("Firma Sp. z o.o.\nFaktura VAT nr FV/2026/03/17\nData wystawienia: 12.03.2026\n"
           "Termin płatności: 26.03.2026\n              Razem netto     1 000,00 zł\n"
           "              Kwota VAT         230,00 zł\n              Do zapłaty      1 230,00 PLN\n",
           ("FV/2026/03/17", date(2026, 3, 12), date(2026, 3, 26), Decimal("1230.00"))),
    "sv": ("Företaget AB\nFAKTURA\nFakturanummer: 55012\nFakturadatum: 2026-03-12\nFörfallodatum: 2026-04-11\n"
           "              Summa exkl. moms     8 000,00 kr\n              Moms 25 %            2 000,00 kr\n"
           "              Att betala          10 000,00 SEK\n",
           ("55012", date(2026, 3, 12), date(2026, 4, 11), Decimal("10000.00"))),
}


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_headline_fields_in_other_eu_languages(language):
    text, expected = OTHER_LANGUAGES[language]
    invoice = _read(text)
    assert (invoice.invoice_number, invoice.issue_date, invoice.due_date, invoice.amount_due) == expected


def test_an_amount_due_above_net_plus_vat_is_unsure():
    # A line item's figure taken for the amount due would exceed what the totals add up to.
    invoice = _read("Factuurnummer 2026-051\nFactuurdatum 01-03-2026\n"
                    "                 Totaal excl. btw     € 100,00\n                 BTW 21%              € 21,00\n"
                    "                 Te betalen           € 1.210,00\n")
    assert invoice.amount_due == Decimal("1210.00") and invoice.confidence["amount_due"] < 0.8


def test_an_amount_due_below_net_plus_vat_after_a_prepayment_is_sure():
    invoice = _read("Factuurnummer 2026-052\nFactuurdatum 01-03-2026\n"
                    "                 Totaal excl. btw     € 1.000,00\n                 BTW 21%              € 210,00\n"
                    "                 Reeds betaald        € 210,00\n"
                    "                 Te betalen           € 1.000,00\n")
    assert invoice.amount_due == Decimal("1000.00") and invoice.confidence["amount_due"] >= 0.8
