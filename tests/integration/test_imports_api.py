"""Imports through the finance API on a real database: a CSV and a ZIP become invoices like mailed ones."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.e2e.harness import MovableClock
from tests.factories.invoice_pdf import make_invoice_pdf
from tests.factories.invoice_xml import make_ubl
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, InboundMessage, Invoice, TimelineEvent
from worker.usecases.api_keys import issue_key
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
HEADER = "invoice number;invoice date;due date;amount;currency;debtor name;debtor e-mail;debtor country;consumer;" \
         "language\n"


@pytest.fixture
def api(any_database_url, tmp_path):
    """Two businesses; the first has invoice F-OLD-1 already; its second key is labelled `clerk anna`."""
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    client = TestClient(create_app(container))
    with container.sessions.begin() as session:
        business, _first = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                           from_address="billing@jansen.example", language="nl", now=NOW)
        _row, key = issue_key(session, business.id, label="clerk anna", now=NOW)
        _other, other_key = create_business(session, name="pietersen", senders=["billing@pietersen.example"],
                                            from_address="billing@pietersen.example", language="nl", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@old.example", name="Old", created_at=NOW)
        session.add(debtor)
        session.flush()
        session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number="F-OLD-1", due_date=date(2027, 1, 1),
                            currency="EUR", amount_due=Decimal("10.00"), amount_paid=Decimal(0), status="open",
                            reply_token="old1", parsed={}, created_at=NOW))
    yield client, key, other_key
    container.engine.dispose()


def upload(client, key, name, data, content_type="text/csv"):
    return client.post("/imports/invoices", headers={"X-API-Key": key}, files={"file": (name, data, content_type)})


def test_a_csv_is_read_line_by_line_imported_duplicate_and_refused_with_the_column(api):
    client, key, _ = api
    csv = (HEADER
           + "F-101;01-11-2026;2026-12-01;1.234,56;EUR;Klant B.V.;AP@Klant.example;BE;no;fr\n"
           + "F-102;2026-11-15;;99.5;;Consument;jan@home.example;NL;ja;\n"
           + "F-OLD-1;2026-10-01;2026-10-31;10,00;EUR;Old;ap@old.example;;;\n"
           + "F-103;31-02-2026;;12,00;EUR;X;x@x.example;;;\n"
           + "F-104;;;1.500;EUR;X;x@x.example;;;\n"
           + "F-105;;;12,00;EUR;X;not-an-address;;;\n"
           + "F-101;01-11-2026;2026-12-01;1.234,56;EUR;Klant B.V.;ap@klant.example;;;\n").encode("utf-8")
    started = upload(client, key, "open.csv", csv)
    assert started.status_code == 202, started.text
    import_id = started.json()["id"]
    assert started.json()["total"] == 7 and started.json()["kind"] == "csv"

    result = client.get(f"/imports/{import_id}", headers={"X-API-Key": key}).json()
    assert result["status"] == "finished"
    assert (result["done"], result["imported"], result["duplicates"], result["refused"]) == (7, 2, 2, 3)
    lines = {line["line"]: line for line in result["lines"]}
    assert [lines[n]["outcome"] for n in range(2, 9)] == ["imported", "imported", "duplicate", "refused",
                                                          "refused", "refused", "duplicate"]
    assert lines[5]["field"] == "invoice_date" and "calendar" in lines[5]["reason"]
    assert lines[6]["field"] == "amount" and "ambiguous" in lines[6]["reason"]
    assert lines[7]["field"] == "debtor_email"
    assert result["who"] == "clerk anna"

    first = client.get(f"/invoices/{lines[2]['invoice_id']}", headers={"X-API-Key": key}).json()
    assert first["status"] == "open" and Decimal(first["amount_due"]) == Decimal("1234.56")
    assert first["due_date"] == "2026-12-01"
    with client.app.state.container.sessions() as session:
        second = session.get(Invoice, lines[3]["invoice_id"])
        # No due date: the statutory 30 days after the invoice date, as for a mailed invoice without terms.
        assert second.due_date == date(2026, 12, 15) and second.currency == "EUR"
        consumer = session.get(Debtor, second.debtor_id)
        assert consumer.is_consumer and consumer.country == "NL" and consumer.contact_email == "jan@home.example"
        business_debtor = session.get(Debtor, session.get(Invoice, lines[2]["invoice_id"]).debtor_id)
        assert business_debtor.country == "BE" and not business_debtor.is_consumer
        assert business_debtor.language == "fr" and business_debtor.contact_email == "ap@klant.example"
        kinds = session.scalars(select(TimelineEvent.kind).where(TimelineEvent.invoice_id == second.id)
                                .order_by(TimelineEvent.id)).all()
        assert kinds == ["InvoiceReceived", "InvoiceImported"]
        imported = session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "InvoiceImported")).first()
        assert imported.data["who"] == "clerk anna" and imported.data["import_id"] == import_id


def test_a_zip_of_invoice_files_is_read_like_mailed_attachments(api):
    client, key, _ = api
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2026/F2026-17.xml", make_ubl(number="F2026-17", issue=date(2026, 12, 1),
                                                      due=date(2026, 12, 31)))
        archive.writestr("2026/F2026-18.pdf", make_invoice_pdf(
            number="F2026-18", issue_date=date(2026, 12, 2), due_date=date(2027, 1, 1), amount_due=Decimal("121.00"),
            seller_name="Jansen B.V.", seller_email="billing@jansen.example", buyer_name="Klant B.V.",
            buyer_email="inkoop@klant.nl"))
        archive.writestr("notes.txt", b"not an invoice")
        archive.writestr("broken.pdf", b"%PDF-1.4 this is no pdf")
        archive.writestr("__MACOSX/._F2026-17.xml", b"resource fork")
    started = upload(client, key, "invoices.zip", buffer.getvalue(), "application/zip")
    assert started.status_code == 202, started.text
    result = client.get(f"/imports/{started.json()['id']}", headers={"X-API-Key": key}).json()
    assert result["total"] == 4 and result["status"] == "finished"
    outcomes = {line["source"]: line for line in result["lines"]}
    assert outcomes["2026/F2026-17.xml"]["outcome"] == "imported"
    assert outcomes["2026/F2026-17.xml"]["invoice_number"] == "F2026-17"
    assert outcomes["2026/F2026-18.pdf"]["outcome"] == "imported"
    assert outcomes["notes.txt"]["outcome"] == "refused" and "not a PDF or XML" in outcomes["notes.txt"]["reason"]
    assert outcomes["broken.pdf"]["outcome"] == "refused"
    with client.app.state.container.sessions() as session:
        invoice = session.get(Invoice, outcomes["2026/F2026-17.xml"]["invoice_id"])
        assert invoice.amount_due == Decimal("1210.00") and invoice.due_date == date(2026, 12, 31)
        source = session.get(InboundMessage, invoice.source_message_id)
        # The original file is kept, as the attachment of the mail it would have come in.
        assert source.status == "processed" and b"F2026-17" in source.raw
        assert session.get(Debtor, invoice.debtor_id).contact_email == "inkoop@klant.nl"
        # A refused file leaves no stored message behind.
        assert session.scalars(select(InboundMessage.id)).all() == sorted(
            {session.get(Invoice, outcomes[n]["invoice_id"]).source_message_id
             for n in ("2026/F2026-17.xml", "2026/F2026-18.pdf")})

    again = upload(client, key, "invoices.zip", buffer.getvalue(), "application/zip")
    second = client.get(f"/imports/{again.json()['id']}", headers={"X-API-Key": key}).json()
    assert (second["imported"], second["duplicates"], second["refused"]) == (0, 2, 2)


@pytest.mark.parametrize(("data", "field", "words"), [
    (b"", "file", "empty"),
    (b"number;amount\nF-1;10\n", "debtor_email", "no column debtor_email"),
    (HEADER.encode(), "file", "no invoice rows"),
    (b"PK\x03\x04 not really a zip", "file", "cannot be opened"),
])
def test_a_file_that_is_no_import_is_refused_with_422_naming_what_is_wrong(api, data, field, words):
    client, key, _ = api
    answer = upload(client, key, "x.csv", data)
    assert answer.status_code == 422, answer.text
    assert words in answer.text
    assert client.get("/imports", headers={"X-API-Key": key}).json() == []


def test_another_business_cannot_see_an_import_and_a_missing_key_is_refused(api):
    client, key, other_key = api
    started = upload(client, key, "open.csv", (HEADER + "F-201;;;10,00;EUR;K;k@k.example;;;\n").encode())
    import_id = started.json()["id"]
    assert client.get(f"/imports/{import_id}", headers={"X-API-Key": other_key}).status_code == 404
    assert client.get("/imports/999999", headers={"X-API-Key": key}).status_code == 404
    assert client.get("/imports", headers={"X-API-Key": other_key}).json() == []
    assert client.post("/imports/invoices", files={"file": ("a.csv", b"x", "text/csv")}).status_code == 401
    assert client.post("/imports/invoices", headers={"X-API-Key": key}).status_code == 422
    assert client.get(f"/imports/{import_id}?limit=0", headers={"X-API-Key": key}).status_code == 422
