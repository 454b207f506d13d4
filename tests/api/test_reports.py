"""The reports on a real database (SQLite and PostgreSQL): ageing, DSO, cash-in and late payers, JSON and CSV,
each at an `as_of`, each business seeing only its own figures."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.timeline import record_event

NOW = datetime(2027, 3, 15, 9, tzinfo=UTC)  # a Monday


def _invoice(session, business, debtor, number, issued, due, amount, status="open"):
    invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number, issue_date=issued, due_date=due,
                      currency="EUR", amount_due=Decimal(amount), amount_paid=Decimal(0), status=status,
                      reply_token=f"{business.name}-{number}".lower(), parsed={}, created_at=NOW)
    session.add(invoice)
    session.flush()
    return invoice


@pytest.fixture
def reports(any_database_url, tmp_path):
    """jansen: four invoices of one debtor (the DSO example, a promise and a plan); acme: a late payer and a
    prompt one."""
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        jansen, keys["jansen"] = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                                 from_address="billing@jansen.example", iban=None, now=NOW)
        acme, keys["acme"] = create_business(session, name="acme", senders=["billing@acme.example"],
                                             from_address="billing@acme.example", iban=None, now=NOW)
        stipt = Debtor(business_id=jansen.id, contact_email="ap@stipt.example", name="Stipt BV", created_at=NOW)
        laat = Debtor(business_id=acme.id, contact_email="ap@laat.example", name="=Laat BV", created_at=NOW)
        vlot = Debtor(business_id=acme.id, contact_email="ap@vlot.example", name="Vlot BV", created_at=NOW)
        session.add_all([stipt, laat, vlot])
        session.flush()
        for number, issued, due, amount in (("S-1", date(2027, 1, 10), date(2027, 2, 9), "6200.00"),
                                            ("S-2", date(2027, 2, 10), date(2027, 3, 12), "12000.00"),
                                            ("S-3", date(2027, 3, 5), date(2027, 4, 4), "10000.00"),
                                            ("S-4", date(2027, 3, 10), date(2027, 3, 20), "600.00")):
            ids[number] = _invoice(session, jansen, stipt, number, issued, due, amount).id
        record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, at=datetime(2027, 3, 13, tzinfo=UTC),
                     business_id=jansen.id, invoice_id=ids["S-2"], debtor_id=stipt.id, promised_date="2027-03-24")
        record_event(session, EventKind.PAYMENT_PLAN_AGREED, at=datetime(2027, 3, 11, tzinfo=UTC),
                     business_id=jansen.id, invoice_id=ids["S-4"], debtor_id=stipt.id, previous_status="open",
                     paid_before="0.00", instalments=[{"due_date": "2027-03-20", "amount": "300.00"},
                                                      {"due_date": "2027-04-20", "amount": "300.00"}])
        for number, due, paid_on in (("L-1", date(2026, 12, 20), date(2026, 12, 25)),
                                     ("L-2", date(2027, 1, 5), date(2027, 1, 10)),
                                     ("L-3", date(2027, 1, 20), date(2027, 2, 9)),
                                     ("L-4", date(2027, 2, 20), date(2027, 3, 12)),
                                     ("L-5", date(2027, 3, 1), None)):
            ids[number] = _invoice(session, acme, laat, number, date(2026, 12, 1), due, "100.00").id
            ids[(number, "paid_on")] = paid_on
        ids["V-1"] = _invoice(session, acme, vlot, "V-1", date(2027, 1, 1), date(2027, 2, 1), "100.00").id
        ids[("V-1", "paid_on")] = date(2027, 1, 30)
        ids["stipt"], ids["laat"], ids["vlot"] = stipt.id, laat.id, vlot.id
    client = TestClient(create_app(container))
    _pay(client, keys["jansen"], ids["S-1"], "3200.00", date(2027, 3, 1))
    for number in ("L-1", "L-2", "L-3", "L-4", "V-1"):
        _pay(client, keys["acme"], ids[number], "100.00", ids[(number, "paid_on")])
    yield client, keys, ids
    container.engine.dispose()


def _pay(client, key, invoice_id, amount, paid_on):
    answer = client.post(f"/invoices/{invoice_id}/payments", headers={"X-API-Key": key},
                         json={"amount": amount, "paid_on": paid_on.isoformat()})
    assert answer.status_code in (200, 201), answer.text


def get(client, path, key, csv_form=False):
    headers = {"X-API-Key": key, **({"Accept": "text/csv"} if csv_form else {})}
    return client.get(path, headers=headers)


def rows(answer):
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.text)))


def test_ageing_at_an_as_of_with_totals_and_csv(reports):
    client, keys, ids = reports
    today = get(client, "/reports/ageing", keys["jansen"]).json()
    assert today["as_of"] == "2027-03-15"
    eur = today["currencies"]["EUR"]
    assert (eur["not_due"], eur["1-30"], eur["31-60"]) == (
        {"amount": "10600.00", "invoices": 2}, {"amount": "12000.00", "invoices": 1},
        {"amount": "3000.00", "invoices": 1})
    assert today["totals"] == {"EUR": {"amount": "25600.00", "invoices": 4}}
    # on 1 March nothing of S-2 was due yet, and S-1 was 20 days overdue
    earlier = get(client, "/reports/ageing?as_of=2027-03-01", keys["jansen"]).json()["currencies"]["EUR"]
    assert (earlier["not_due"]["amount"], earlier["1-30"]["amount"], earlier["31-60"]["amount"]) == (
        "22600.00", "3000.00", "0.00")
    table = rows(get(client, "/reports/ageing?as_of=2027-03-01", keys["jansen"], csv_form=True))
    assert table[0] == ["currency", "bucket", "amount", "invoices"]
    assert ["EUR", "1-30", "3000.00", "1"] in table and table[-1] == ["EUR", "total", "25600.00", "4"]


def test_ageing_per_debtor_has_a_total_and_a_csv_form(reports):
    client, keys, ids = reports
    page = get(client, "/reports/ageing/debtors?as_of=2027-03-15", keys["acme"]).json()
    laat = next(d for d in page if d["debtor_id"] == ids["laat"])
    assert laat["total"] == {"EUR": {"amount": "100.00", "invoices": 1}}
    assert laat["currencies"]["EUR"]["1-30"] == {"amount": "100.00", "invoices": 1}
    assert next(d for d in page if d["debtor_id"] == ids["vlot"])["total"] == {}
    table = rows(get(client, "/reports/ageing/debtors?limit=1", keys["acme"], csv_form=True))
    # one debtor per page; a name a spreadsheet would run as a formula is quoted
    assert table[0] == ["debtor_id", "name", "currency", "bucket", "amount", "invoices"]
    assert {r[1] for r in table[1:]} == {"'=Laat BV"} and len(table) == 6
    answer = get(client, "/reports/ageing/debtors?limit=1", keys["acme"], csv_form=True)
    assert "X-Next-Cursor" in answer.headers


def test_dso_counts_back_through_the_months(reports):
    client, keys, _ = reports
    report = get(client, "/reports/dso", keys["jansen"]).json()
    eur = report["currencies"]["EUR"]
    # 25 600 open; March so far 10 600 (15 days), February 12 000 (28), January 3 000 of 6 200 (31 x 3000/6200)
    assert (report["method"], eur["receivables"], eur["dso_days"], eur["at_least"]) == (
        "count-back", "25600.00", "58.0", False)
    assert [(p["start"], p["sales"], p["days_counted"]) for p in eur["periods"]] == [
        ("2027-03-01", "10600.00", "15.0"), ("2027-02-01", "12000.00", "28.0"), ("2027-01-01", "6200.00", "15.0")]
    # at the end of February the March invoices did not exist and S-1's payment (1 March) had not come
    february = get(client, "/reports/dso?as_of=2027-02-28", keys["jansen"]).json()["currencies"]["EUR"]
    assert (february["receivables"], february["dso_days"]) == ("18200.00", "59.0")
    table = rows(get(client, "/reports/dso", keys["jansen"], csv_form=True))
    assert table[0] == ["currency", "receivables", "dso_days", "at_least", "period_start", "period_end", "sales",
                        "days_counted"]
    assert table[1] == ["EUR", "25600.00", "58.0", "false", "2027-03-01", "2027-03-15", "10600.00", "15.0"]


def test_dso_of_a_first_month_and_before_any_sales(reports):
    client, keys, _ = reports
    # acme's five L invoices (100 each) were issued 1 December; L-1 was paid on 25 December: 400 of December's
    # 500 was owed at its end, 31 x 400 / 500 days
    eur = get(client, "/reports/dso?as_of=2026-12-31", keys["acme"]).json()["currencies"]["EUR"]
    assert (eur["receivables"], eur["dso_days"], eur["at_least"]) == ("400.00", "24.8", False)
    assert get(client, "/reports/dso?as_of=2026-11-30", keys["acme"]).json()["currencies"] == {}


def test_cash_in_per_week_follows_promises_and_plans(reports):
    client, keys, ids = reports
    report = get(client, "/reports/cash-in?weeks=4", keys["jansen"]).json()
    eur = report["currencies"]["EUR"]
    # S-1 was due 9 February and 3 000 is still open: overdue; S-2 was due 12 March but promised for the 24th
    assert eur["overdue"] == {"amount": "3000.00", "invoices": 1, "from_due_date": "3000.00",
                              "from_promise": "0.00", "from_plan": "0.00"}
    weeks = {w["week_start"]: (w["amount"], w["invoices"], w["from_due_date"], w["from_promise"], w["from_plan"])
             for w in eur["weeks"]}
    assert weeks == {"2027-03-15": ("300.00", 1, "0.00", "0.00", "300.00"),
                     "2027-03-22": ("12000.00", 1, "0.00", "12000.00", "0.00"),
                     "2027-03-29": ("10000.00", 1, "10000.00", "0.00", "0.00"),  # S-3 due Sunday 4 April
                     "2027-04-05": ("0.00", 0, "0.00", "0.00", "0.00")}
    assert eur["later"]["from_plan"] == "300.00" and eur["weeks"][0]["week_end"] == "2027-03-21"
    # before the promise was recorded (13 March), S-2 was expected on its due date
    before = get(client, "/reports/cash-in?weeks=1&as_of=2027-03-12", keys["jansen"]).json()["currencies"]["EUR"]
    assert before["weeks"][0]["from_due_date"] == "12000.00" and before["weeks"][0]["week_start"] == "2027-03-08"
    table = rows(get(client, "/reports/cash-in?weeks=2", keys["jansen"], csv_form=True))
    assert table[0] == ["currency", "period", "week_start", "week_end", "amount", "invoices", "from_due_date",
                        "from_promise", "from_plan"]
    assert [r[1] for r in table[1:]] == ["overdue", "week", "week", "later"]
    assert table[2] == ["EUR", "week", "2027-03-15", "2027-03-21", "300.00", "1", "0.00", "0.00", "300.00"]


def test_late_payers_with_their_trend(reports):
    client, keys, ids = reports
    query = "/reports/late-payers?periods=3&period_days=30"
    report = get(client, query, keys["acme"]).json()
    [laat] = report["debtors"]  # Vlot paid before its due date
    assert (laat["debtor_id"], laat["invoices"], laat["late_invoices"], laat["average_days_late"], laat["trend"]) == (
        ids["laat"], 5, 5, "12.8", "worse")
    assert [(p["start"], p["invoices"], p["average_days_late"]) for p in laat["periods"]] == [
        ("2026-12-16", 2, "5.0"), ("2027-01-15", 1, "20.0"), ("2027-02-14", 2, "17.0")]
    # as of 20 February, L-4 was due that day and L-5 not yet: December's 5 days against January's 20
    earlier = get(client, "/reports/late-payers?periods=2&period_days=30&as_of=2027-02-20&min_late=2",
                  keys["acme"]).json()["debtors"]
    assert [(d["average_days_late"], d["trend"]) for d in earlier] == [("8.3", "better")]
    assert get(client, query + "&min_average_days=13", keys["acme"]).json()["debtors"] == []
    assert get(client, query, keys["jansen"]).json()["debtors"] == []  # acme's debtors are acme's
    table = rows(get(client, query, keys["acme"], csv_form=True))
    assert table[0][:6] == ["debtor_id", "name", "invoices", "late_invoices", "average_days_late", "trend"]
    assert len(table) == 4 and table[3][6:] == ["2027-02-14", "2027-03-15", "2", "2", "17.0"]


def test_each_business_sees_only_its_own_figures(reports):
    client, keys, _ = reports
    acme = get(client, "/reports/ageing", keys["acme"]).json()
    assert acme["totals"] == {"EUR": {"amount": "100.00", "invoices": 1}}
    assert get(client, "/reports/cash-in", keys["acme"]).json()["currencies"]["EUR"]["overdue"]["amount"] == "100.00"
    for path in ("/reports/ageing", "/reports/dso", "/reports/cash-in", "/reports/late-payers",
                 "/reports/ageing/debtors"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"X-API-Key": "nope"}).status_code == 401


@pytest.mark.parametrize("query, field", [
    ("/reports/ageing?as_of=2027-13-01", "as_of"), ("/reports/dso?as_of=0001-01-01", "as_of"),
    ("/reports/dso?as_of=yesterday", "as_of"), ("/reports/cash-in?weeks=0", "weeks"),
    ("/reports/cash-in?weeks=1000", "weeks"), ("/reports/late-payers?periods=1", "periods"),
    ("/reports/late-payers?period_days=99999999999999999999", "period_days"),
    ("/reports/late-payers?min_average_days=abc", "min_average_days"),
    ("/reports/late-payers?min_average_days=1e400", "min_average_days"),
    ("/reports/ageing/debtors?as_of=9999-12-31", "as_of")])
def test_bad_input_is_refused_naming_the_field(reports, query, field):
    client, keys, _ = reports
    answer = get(client, query, keys["jansen"])
    assert answer.status_code == 422 and field in answer.text, answer.text


def test_openapi_documents_the_reports_and_their_csv(reports):
    client, _, _ = reports
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/reports/ageing", "/reports/ageing/debtors", "/reports/dso", "/reports/cash-in",
                 "/reports/late-payers"):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["description"]
        assert "text/csv" in operation["responses"]["200"]["content"]
        assert any(p["name"] == "as_of" for p in operation["parameters"])
