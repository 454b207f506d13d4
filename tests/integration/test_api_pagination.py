"""Every list endpoint pages by cursor: all rows once, in order, the way on in Link / X-Next-Cursor, bad input 422."""

import base64
from datetime import date

import pytest
from fastapi.testclient import TestClient

from bench.api_data import NOW, seed
from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Invoice
from worker.usecases.ageing import BUCKETS, OWED, bucket_for

ADMIN = "operator-key-for-tests-0123456789"


@pytest.fixture
def api(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx",
                                         admin_api_key=ADMIN))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    mine = seed(container.engine, 230, debtors=11, name="jansen")
    other = seed(container.engine, 40, debtors=3, name="acme")
    yield TestClient(create_app(container)), mine, other, container
    container.engine.dispose()


def walk(client, path, key, limit, headers=None):
    """Every page of a list, following Link; checks that X-Next-Cursor and Link agree."""
    pages, url = [], f"{path}{'&' if '?' in path else '?'}limit={limit}"
    while url:
        answer = client.get(url, headers={"X-API-Key": key, **(headers or {})})
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
        link, cursor = answer.headers.get("link"), answer.headers.get("x-next-cursor")
        assert (link is None) == (cursor is None)
        if link:
            assert link.endswith('>; rel="next"') and f"cursor={cursor}" in link and f"limit={limit}" in link
        url = link[1:link.index(">")] if link else None
    return pages


def test_invoices_page_through_every_invoice_once_in_order(api):
    client, mine, other, _ = api
    pages = walk(client, "/invoices", mine.api_key, 37)
    assert [len(p) for p in pages] == [37] * 6 + [8]
    ids = [i["id"] for p in pages for i in p]
    assert ids == mine.invoice_ids  # each once, oldest first, none of the other business's
    # the first page without parameters is the array it always was, 100 long
    first = client.get("/invoices", headers={"X-API-Key": mine.api_key})
    assert [i["id"] for i in first.json()] == mine.invoice_ids[:100] and "x-next-cursor" in first.headers


def test_filters_keep_to_the_page_and_the_business(api):
    client, mine, _, container = api
    with container.sessions() as session:
        rows = session.query(Invoice).filter(Invoice.business_id == mine.business_id).all()
    for query, wanted in (
            ("status=paused", [r for r in rows if r.status == "paused"]),
            (f"debtor_id={mine.debtor_ids[3]}", [r for r in rows if r.debtor_id == mine.debtor_ids[3]]),
            ("due_from=2027-01-01&due_to=2027-01-31",
             [r for r in rows if r.due_date and date(2027, 1, 1) <= r.due_date <= date(2027, 1, 31)]),
            ("status=open&due_to=2026-12-31", [r for r in rows if r.status == "open" and r.due_date
                                               and r.due_date <= date(2026, 12, 31)])):
        got = [i["id"] for p in walk(client, f"/invoices?{query}", mine.api_key, 9) for i in p]
        assert got == sorted(r.id for r in wanted), query


def test_sort_by_due_date_puts_undated_invoices_last(api):
    client, mine, _, container = api
    with container.sessions() as session:
        rows = session.query(Invoice).filter(Invoice.business_id == mine.business_id).all()
    expected = [r.id for r in sorted(rows, key=lambda r: (r.due_date is None, r.due_date or date.min, r.id))]
    for limit in (1, 2, 13, 1000):  # page edges inside the dated part, on its end, and in the undated part
        got = [i["id"] for p in walk(client, "/invoices?sort=due_date", mine.api_key, limit) for i in p]
        assert got == expected, limit


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=x", "cursor=nonsense", "cursor=e30",
                                   "cursor=" + base64.urlsafe_b64encode(b'{"l":"debtors","k":[1]}').decode(),
                                   "cursor=" + base64.urlsafe_b64encode(b'{"l":"invoices:id","k":["1"]}').decode()])
def test_out_of_range_limits_and_foreign_cursors_are_refused(api, query):
    client, mine, _, _ = api
    answer = client.get(f"/invoices?{query}", headers={"X-API-Key": mine.api_key})
    assert answer.status_code == 422
    if query.startswith("cursor"):
        assert "cursor" in answer.json()["message"]


def test_a_sort_orders_cursor_is_not_taken_by_the_other(api):
    client, mine, _, _ = api
    cursor = client.get("/invoices?limit=5", headers={"X-API-Key": mine.api_key}).headers["x-next-cursor"]
    assert client.get(f"/invoices?sort=due_date&cursor={cursor}",
                      headers={"X-API-Key": mine.api_key}).status_code == 422


@pytest.mark.parametrize("path", ["/debtors", "/print-queue", "/bank-statements", "/review/credits",
                                  "/invoices/{first}/payments", "/bank-statements/{statement}/lines", "/templates"])
def test_every_list_pages(api, path):
    client, mine, other, _ = api
    path = path.format(first=mine.invoice_ids[0], statement=mine.statement_id)
    whole = client.get(f"{path}?limit=1000", headers={"X-API-Key": mine.api_key}).json()
    pages = walk(client, path, mine.api_key, 2)
    assert [item for page in pages for item in page] == whole and len(pages) == (len(whole) + 1) // 2 >= 2
    foreign = client.get(path, headers={"X-API-Key": other.api_key})
    if "{" not in path and path != "/templates":  # the other business has its own rows, never these
        assert not {str(r) for r in foreign.json()} & {str(r) for r in whole}


def test_operator_quarantine_pages(api):
    client, _, _, _ = api
    pages = walk(client, "/admin/quarantine", "", 1, headers={"X-Admin-Key": ADMIN})
    ids = [m["id"] for p in pages for m in p]
    assert len(ids) == 6 and ids == sorted(ids)  # jansen's and acme's unassigned mail, three each


def test_review_queue_pages_each_list_with_one_cursor(api):
    client, mine, _, _ = api
    whole = client.get("/review?limit=1000", headers={"X-API-Key": mine.api_key}).json()
    assert whole["next_cursor"] is None
    pages = walk(client, "/review", mine.api_key, 4)
    for part in ("invoices", "quarantined", "notices", "failed_deliveries"):
        assert [x for p in pages for x in p[part]] == whole[part], part
    assert [p["next_cursor"] is None for p in pages] == [False] * (len(pages) - 1) + [True]
    assert len(whole["invoices"]) > 4 and len(whole["failed_deliveries"]) > 0


def test_ageing_in_sql_matches_the_rule_per_invoice(api):
    client, mine, _, container = api
    report = client.get("/reports/ageing", headers={"X-API-Key": mine.api_key}).json()
    with container.sessions() as session:
        rows = session.query(Invoice).filter(Invoice.business_id == mine.business_id).all()
    expected: dict = {}
    for r in rows:
        if r.status in OWED and r.due_date is not None and r.amount_due - r.amount_paid > 0:
            cell = expected.setdefault(r.currency, {b: [0, 0] for b, _, _ in BUCKETS})[bucket_for(
                (NOW.date() - r.due_date).days)]
            cell[0] += r.amount_due - r.amount_paid
            cell[1] += 1
    assert report["currencies"] == {c: {b: {"amount": f"{a:.2f}", "invoices": n} for b, (a, n) in v.items()}
                                    for c, v in sorted(expected.items())}
    per_debtor = [d for p in walk(client, "/reports/ageing/debtors", mine.api_key, 4) for d in p]
    assert [d["debtor_id"] for d in per_debtor] == mine.debtor_ids
    for currency, buckets in report["currencies"].items():
        for bucket, cell in buckets.items():
            cells = [d["currencies"][currency][bucket] for d in per_debtor if currency in d["currencies"]]
            assert sum(c["invoices"] for c in cells) == cell["invoices"]
            assert f"{sum(float(c['amount']) for c in cells):.2f}" == cell["amount"]


def test_openapi_documents_the_paging(api):
    client, _, _, _ = api
    spec = client.get("/openapi.json").json()
    for path in ("/invoices", "/debtors", "/review", "/print-queue", "/bank-statements", "/templates",
                 "/review/credits", "/reports/ageing/debtors", "/invoices/{invoice_id}/payments"):
        get = spec["paths"][path]["get"]
        assert {"limit", "cursor"} <= {p["name"] for p in get["parameters"]}, path
        assert {"Link", "X-Next-Cursor"} <= set(get["responses"]["200"]["headers"]), path
