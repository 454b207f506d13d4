"""The buyer's block found in layout text without a buyer label: the letter window, never the seller's block."""

from __future__ import annotations

from parsers.invoice.text_reader import read_text

_TAIL = "Rechnungsnummer: R-1\nRechnungsdatum: 19.01.2016\nBitte zahlen Sie den Betrag bis zum 22.01.2016.\n" \
        "Gesamtbetrag   104,00 €\n"


def _read(text: str):
    return read_text([text], "f.pdf")


def test_din_window_under_the_return_address():
    invoice = _read("    Hetzner Online GmbH • Industriestr. 25 • 91710 Gunzenhausen\n"
                    "    Usegroup Inh. Jochen Stärk                      Tel.: +49 9831 505-0\n"
                    "    Herr Jochen Stärk                               info@hetzner.de\n"
                    "    Huswertstr. 14                                  www.hetzner.de\n"
                    "    60435 Frankfurt\n" + _TAIL)
    assert invoice.buyer.address == "Huswertstr. 14\n60435 Frankfurt" and invoice.buyer.country == "DE"
    assert invoice.seller.address == "Industriestr. 25\n91710 Gunzenhausen" and invoice.seller.country == "DE"


def test_the_block_with_the_sellers_registry_and_bank_lines_is_the_sellers():
    invoice = _read("    bol.com b.v.                         Dhr. M el Mathari\n"
                    "    Papendorpseweg 100, 3528 BJ Utrecht  Kapittelweg 409\n"
                    "    KvK Utrecht: 32147382                1216 JD HILVERSUM\n"
                    "    BTW nr.: NL820471616B01\n    IBAN: NL27INGB0000026500\n"
                    "    Factuur\n    Factuurnummer: 8587333880016\n    Datum: 29 oktober 2015\n"
                    "    Wij verzoeken u het bedrag te betalen.\n    Te betalen             € 10,00\n")
    assert invoice.buyer.address == "Kapittelweg 409\n1216 JD HILVERSUM" and invoice.buyer.country == "NL"
    assert invoice.seller.address == "Papendorpseweg 100\n3528 BJ Utrecht"


def test_a_delivery_address_is_not_the_buyers():
    invoice = _read("                                          Muster Technik GmbH\n"
                    "                                          Lindenstraße 8\n"
                    "                                          80331 München\n"
                    "                                          IBAN DE89370400440532013000\n"
                    "    Lieferadresse                         \n"
                    "    Lager Nord                            Kunden AG\n"
                    "    Hafenweg 3                            Hauptstraße 5\n"
                    "    20457 Hamburg                         10115 Berlin\n" + _TAIL)
    assert invoice.buyer.name == "Kunden AG"
    assert invoice.buyer.address == "Hauptstraße 5\n10115 Berlin"


def test_a_house_number_first_is_not_a_postcode():
    invoice = read_text(["  Facture FA-1\n  Ma jolie boutique\n  1242 chemin de l'olive\n  84340 Malaucène\n"
                         "  Merci de régler le montant avant la date d'échéance par virement.\n"
                         "  Net à payer   120,00 €\n"], "f.pdf")
    assert invoice.buyer.address == "1242 chemin de l'olive\n84340 Malaucène"
