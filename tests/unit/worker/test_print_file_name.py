"""The print-queue download names its file safely: the name comes from an invoice number the sender printed."""

from worker.api.print_queue import _attachment


def test_a_hostile_invoice_number_cannot_break_the_header_or_name_a_path():
    header = _attachment('herinnering-../../etc/"x\r\nBcc: y.pdf')
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*")[0]
    assert header.count('"') == 2  # the quoted name holds no quote of its own


def test_an_ordinary_name_is_kept():
    assert _attachment("brief-2027-0001.pdf") == (
        "attachment; filename=\"brief-2027-0001.pdf\"; filename*=UTF-8''brief-2027-0001.pdf")
