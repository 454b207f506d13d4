"""Bank statements through the finance API on a real database: the black-box contract, duplicates, review."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice, Payment
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
SAMPLES = Path(__file__).parents[1] / "unit" / "parsers" / "bank_samples"
COUNTS = ("transactions", "credits", "matched", "review", "duplicates")


@pytest.fixture
def api(any_database_url, tmp_path):
    """A business with F-2027-001 (EUR 363.00, RF18539007547034 on its letters), F-2027-002 (EUR 250.00) and,
    for another customer, F-2027-009 (EUR 50.00)."""
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    client = TestClient(create_app(container))
    ids = {}
    with container.sessions.begin() as session:
        business, key = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                        from_address="billing@jansen.example", language="nl",
                                        iban="NL91ABNA0417164300", now=NOW)
        for name, numbers in (("Klant B.V.", (("F-2027-001", "363.00", "RF18539007547034"),
                                              ("F-2027-002", "250.00", None))),
                              ("Ander", (("F-2027-009", "50.00", None),))):
            debtor = Debtor(business_id=business.id, contact_email=f"ap@{name[:4].lower()}.example", name=name,
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            for number, amount, reference in numbers:
                invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                                  issue_date=date(2026, 12, 1), due_date=date(2027, 1, 1), currency="EUR",
                                  amount_due=Decimal(amount), amount_paid=Decimal(0), status="open",
                                  reply_token=number.lower(), payment_reference=reference or number, parsed={},
                                  created_at=NOW)
                session.add(invoice)
                session.flush()
                ids[number] = invoice.id
    yield client, key, ids
    container.engine.dispose()


def upload(client, key, name="camt053_v02_nl.xml"):
    return client.post("/bank-statements", headers={"X-API-Key": key},
                       files={"file": (name, (SAMPLES / name).read_bytes(), "application/xml")})


def invoice(client, key, invoice_id):
    return client.get(f"/invoices/{invoice_id}", headers={"X-API-Key": key}).json()


def test_upload_books_what_the_statement_proves_and_a_second_upload_books_nothing(api):
    client, key, ids = api
    first = upload(client, key)
    assert first.status_code == 200, first.text
    # 6 booked lines: 4 credits (RF → F-2027-001, number → F-2027-002, two unrelated), 1 debit, 1 returned payment
    assert first.json() == {"transactions": 6, "credits": 4, "matched": 2, "review": 3, "duplicates": 0}
    assert invoice(client, key, ids["F-2027-001"])["status"] == "paid"
    part = invoice(client, key, ids["F-2027-002"])
    assert part["status"] == "open" and Decimal(part["amount_paid"]) == Decimal("100.00")
    payments = client.get(f"/invoices/{ids['F-2027-001']}/payments", headers={"X-API-Key": key}).json()
    assert [p["source"] for p in payments] == ["bank"] and "NL0001AB29012700001" in payments[0]["note"]

    again = upload(client, key)
    assert again.json() == {"transactions": 6, "credits": 0, "matched": 0, "review": 0, "duplicates": 6}
    with client.app.state.container.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 2
    listed = client.get("/bank-statements", headers={"X-API-Key": key}).json()
    assert [(s["format"], s["duplicates"], s["matched"]) for s in listed] == [("camt.053", 6, 0), ("camt.053", 0, 2)]


def test_a_notification_of_an_already_imported_line_is_a_duplicate(api):
    client, key, ids = api
    upload(client, key)
    assert upload(client, key, "camt054_v02.xml").json()["duplicates"] == 1


def test_review_queue_assigns_a_credit_and_marks_one_not_ours(api):
    client, key, ids = api
    upload(client, key)
    waiting = client.get("/review/credits", headers={"X-API-Key": key}).json()
    assert sorted(str(w["amount"]) for w in waiting) == ["25.50", "40.00", "50.00"]
    fifty = next(w for w in waiting if Decimal(str(w["amount"])) == 50)
    assert fifty["candidates"] == [ids["F-2027-009"]]  # same amount, unknown payer: offered, never guessed
    assert invoice(client, key, ids["F-2027-009"])["status"] == "open"
    done = client.post(f"/review/credits/{fifty['id']}/assign", headers={"X-API-Key": key},
                       json={"invoice_id": ids["F-2027-009"]})
    assert done.status_code == 200 and done.json()["status"] == "assigned"
    assert invoice(client, key, ids["F-2027-009"])["status"] == "paid"
    other = next(w for w in waiting if Decimal(str(w["amount"])) == Decimal("25.50"))
    assert client.post(f"/review/credits/{other['id']}/not-ours", headers={"X-API-Key": key}).json()["status"] == \
        "not_ours"
    again = client.post(f"/review/credits/{other['id']}/not-ours", headers={"X-API-Key": key})
    assert again.status_code == 409
    assert len(client.get("/review/credits", headers={"X-API-Key": key}).json()) == 1


def test_a_file_that_is_no_statement_is_refused_with_what_to_export(api):
    client, key, _ids = api
    answer = client.post("/bank-statements", headers={"X-API-Key": key},
                         files={"file": ("invoice.pdf", b"%PDF-1.7", "application/pdf")})
    assert answer.status_code == 422 and "export" in answer.json()["message"]


def test_a_returned_credit_reopens_the_invoice_it_paid(api, tmp_path):
    from parsers.bank.model import StatementLine
    from tests.bank_camt_writer import write_camt053

    client, key, ids = api
    paid = StatementLine("NL91ABNA0417164300", date(2027, 1, 29), Decimal("250.00"), True, "EUR", "R-1", "Klant B.V.",
                         "NL02RABO0123456789", "F-2027-002", end_to_end_id="E2E-77")
    returned = StatementLine("NL91ABNA0417164300", date(2027, 1, 31), Decimal("250.00"), False, "EUR", "R-2",
                             "Klant B.V.", "NL02RABO0123456789", "", reversal=True, end_to_end_id="E2E-77")
    for n, lines in enumerate(([paid], [returned])):
        camt = write_camt053(lines, account_iban="NL91ABNA0417164300", statement_id=f"S{n}")
        answer = client.post("/bank-statements", headers={"X-API-Key": key},
                             files={"file": (f"s{n}.xml", camt, "application/xml")})
        assert answer.status_code == 200, answer.text
        if n == 0:
            assert invoice(client, key, ids["F-2027-002"])["status"] == "paid"
    assert answer.json() == {"transactions": 1, "credits": 0, "matched": 0, "review": 0, "duplicates": 0}
    reopened = invoice(client, key, ids["F-2027-002"])
    assert reopened["status"] == "open" and Decimal(reopened["amount_paid"]) == 0
    kinds = [p["kind"] for p in client.get(f"/invoices/{ids['F-2027-002']}/payments",
                                           headers={"X-API-Key": key}).json()]
    assert kinds == ["payment", "reversal"]


def test_two_uploads_of_one_statement_at_once_book_it_once(api):
    from concurrent.futures import ThreadPoolExecutor

    client, key, _ids = api
    with ThreadPoolExecutor(2) as pool:
        answers = [f.result().json() for f in [pool.submit(upload, client, key) for _ in range(2)]]
    assert sorted((a["matched"], a["duplicates"]) for a in answers) == [(0, 6), (2, 0)], answers
    with client.app.state.container.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 2


def test_a_line_booked_after_the_business_today_is_paid_today(api):
    from parsers.bank.model import StatementLine
    from tests.bank_camt_writer import write_camt053

    client, key, ids = api
    ahead = StatementLine("NL91ABNA0417164300", date(2027, 2, 2), Decimal("50.00"), True, "EUR", "T-1", "Ander", None,
                          "F-2027-009")
    camt = write_camt053([ahead], account_iban="NL91ABNA0417164300")
    answer = client.post("/bank-statements", headers={"X-API-Key": key},
                         files={"file": ("s.xml", camt, "application/xml")})
    assert answer.json()["matched"] == 1
    (payment,) = client.get(f"/invoices/{ids['F-2027-009']}/payments", headers={"X-API-Key": key}).json()
    assert payment["paid_on"] == "2027-02-01"  # NOW is 1 February in Amsterdam


def test_an_overpayment_is_kept_as_credit_and_the_business_told(api):
    from parsers.bank.model import StatementLine
    from tests.bank_camt_writer import write_camt053
    from worker.db.models import OutboundMessage

    client, key, ids = api
    more = StatementLine("NL91ABNA0417164300", date(2027, 1, 30), Decimal("80.00"), True, "EUR", "O-1", "Ander", None,
                         "factuur F-2027-009")
    client.post("/bank-statements", headers={"X-API-Key": key},
                files={"file": ("s.xml", write_camt053([more], account_iban="NL91ABNA0417164300"), "text/xml")})
    assert invoice(client, key, ids["F-2027-009"])["status"] == "paid"
    (payment,) = client.get(f"/invoices/{ids['F-2027-009']}/payments", headers={"X-API-Key": key}).json()
    assert Decimal(payment["credit"]) == Decimal("30.00") and payment["source"] == "bank"
    with client.app.state.container.sessions() as session:
        notices = session.scalars(select(OutboundMessage.to_addresses).where(
            OutboundMessage.step == "notice:business")).all()
    assert notices == [["billing@jansen.example"]]
