"""On PostgreSQL, the new reports and the retention purge reach their rows through indexes (the same check as
tests/integration/test_list_query_plans.py, whose seeded database and helpers this reuses)."""

import pytest

from tests.integration.test_list_query_plans import (  # noqa: F401 (planned is a fixture)
    _nodes,
    _statements,
    _whole_table_reads,
    planned,
)
from worker.usecases.privacy_retention import purge_candidates

pytestmark = pytest.mark.integration
REPORTS = ["/reports/ageing?as_of=2026-12-31", "/reports/dso", "/reports/dso?as_of=2026-12-31", "/reports/cash-in",
           "/reports/cash-in?weeks=52", "/reports/late-payers", "/reports/late-payers?periods=12&period_days=30"]


@pytest.mark.parametrize("url", REPORTS)
def test_reports_use_an_index(planned, url):  # noqa: F811
    client, mine, engine = planned
    problems = []
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in _statements(engine, client, url, {"X-API-Key": mine.api_key}):
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
            problems += [f"{url}: {p}\n  {statement}" for p in _whole_table_reads(_nodes(plan[0]["Plan"]))]
    assert not problems, "\n".join(problems)


def test_the_purge_finds_its_messages_by_an_index(planned):  # noqa: F811
    from datetime import UTC, datetime

    _, _, engine = planned
    query = purge_candidates(datetime(2027, 1, 1, tzinfo=UTC), 1000).compile(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {query}", query.params).scalar_one()
    assert not _whole_table_reads(_nodes(plan[0]["Plan"]))
