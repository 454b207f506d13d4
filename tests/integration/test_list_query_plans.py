"""On PostgreSQL, every query behind a list or report reaches its rows through an index: EXPLAIN shows no scan of a
whole table (sequential, or a full index scan without a condition), and the main lists read in index order."""

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bench.api_data import NOW, seed
from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade

pytestmark = pytest.mark.integration
ADMIN = "operator-key-for-tests-0123456789"
# The tables that grow with the business: never read whole for one page.
GROWING = {"invoices", "debtors", "timeline_events", "outbound_messages", "inbound_messages", "payments",
           "bank_statements", "bank_transactions", "letter_templates", "outbound_invoices", "outbound_deliveries"}


@pytest.fixture
def planned(fresh_postgres_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=fresh_postgres_url, letter_format="docx",
                                         admin_api_key=ADMIN))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    # One business among others (here one larger), as in a shared database: scanning everyone's rows in id order
    # and filtering would then cost more than the index, so the planner shows what it does in production.
    mine = seed(container.engine, 1500, debtors=150, name="jansen")
    seed(container.engine, 6000, debtors=300, name="acme")
    with container.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    yield TestClient(create_app(container)), mine, container.engine
    container.engine.dispose()


def _statements(engine: sa.Engine, client: TestClient, url: str, headers: dict[str, str]) -> list[tuple[str, Any]]:
    """The SELECTs the route ran, with their parameters (checking the API answered first)."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        answer = client.get(url, headers=headers)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert answer.status_code == 200, (url, answer.text)
    return seen


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(n for child in plan.get("Plans", []) for n in _nodes(child))]


def _whole_table_reads(nodes: list[dict[str, Any]]) -> list[str]:
    bad = []
    for node in nodes:
        table, kind = node.get("Relation Name"), node["Node Type"]
        if table not in GROWING:
            continue
        if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node):
            bad.append(f"{kind} on {table} ({node.get('Index Name', 'no index')}, filter {node.get('Filter')})")
    return bad


def _first_page_cursor(client: TestClient, url: str, headers: dict[str, str]) -> str:
    return client.get(url, headers=headers).headers["x-next-cursor"]


# (url, read in index order: no Sort node above the growing tables). An invoice's payments and the letters waiting
# to be printed are few: the planner rightly sorts the handful the filter's index finds.
ROUTES = [
    ("/invoices", True), ("/invoices?status=open", True), ("/invoices?debtor_id={debtor}", True),
    ("/invoices?sort=due_date", True), ("/invoices?due_from=2027-01-01&due_to=2027-01-31", False),
    ("/invoices?status=open&due_to=2026-12-31&sort=due_date", False),
    ("/invoices/{invoice}", False), ("/invoices/{invoice}/payments", False), ("/debtors", True),
    ("/review", False), ("/review/credits", True), ("/print-queue", False), ("/bank-statements", True),
    ("/bank-statements/{statement}/lines", True), ("/templates", False), ("/reports/ageing", False),
    ("/reports/ageing/debtors", True),
]


@pytest.mark.parametrize(("route", "ordered"), ROUTES)
def test_list_queries_use_an_index(planned, route, ordered):
    client, mine, engine = planned
    headers = {"X-API-Key": mine.api_key}
    url = route.format(debtor=mine.debtor_ids[5], invoice=mine.invoice_ids[0], statement=mine.statement_id)
    urls = [url]
    if ordered:  # the second page too: the cursor's keyset condition must use the same index
        urls.append(f"{url}{'&' if '?' in url else '?'}limit=2&cursor="
                    f"{_first_page_cursor(client, url + ('&' if '?' in url else '?') + 'limit=2', headers)}")
    problems = []
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # small tables would be read whole because it is cheap
        for page_url in urls:
            for statement, parameters in _statements(engine, client, page_url, headers):
                plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
                nodes = _nodes(plan[0]["Plan"])
                problems += [f"{page_url}: {p}\n  {statement}" for p in _whole_table_reads(nodes)]
                tables = {n.get("Relation Name") for n in nodes} & GROWING
                if ordered and " LIMIT " in statement and tables & {"invoices", "debtors", "payments",
                                                                     "bank_transactions", "bank_statements",
                                                                     "outbound_messages"}:
                    sorts = [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
                    problems += [f"{page_url}: sorts instead of reading an index in order\n  {statement}"
                                 for _ in sorts[:1]]
    assert not problems, "\n".join(problems)


def test_operator_quarantine_uses_an_index(planned):
    client, _, engine = planned
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in _statements(engine, client, "/admin/quarantine", {"X-Admin-Key": ADMIN}):
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
            assert not _whole_table_reads(_nodes(plan[0]["Plan"])), statement
