"""A tick costs what is due, not what is open: its SQL statements do not grow with the open invoices."""

import pytest
import sqlalchemy as sa

from bench.bench_tick import LETTERS, NOW, seed
from tests.servers import empty_postgres
from worker.db.migrate import upgrade
from worker.db.session import make_engine, make_session_factory
from worker.usecases import tick as tick_module
from worker.usecases.next_actions import recompute_next_actions
from worker.usecases.tick import run_tick

NOTHING_DUE_MAX = 12  # businesses, unproven mail (2), the claim, notices, the sweep, failures...
PER_RECORDED_MAX = 25  # what recording one reminder costs (outbox, timeline, links, locks)


def _statements(url: str, invoices: int, due_share: float, decide_only: bool = False,
                monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, int]:
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, invoices, due_share)
    sessions = make_session_factory(engine)
    recompute_next_actions(sessions, NOW)
    if decide_only and monkeypatch is not None:
        monkeypatch.setattr(tick_module, "record_group", lambda *args, **kwargs: None)
    counted = [0]

    def count(*_args: object) -> None:
        counted[0] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    report = run_tick(sessions, NOW, LETTERS, lambda *_: None)
    engine.dispose()
    return counted[0], len(report.recorded)


@pytest.fixture
def fresh_url(any_database_url, tmp_path, request):
    """A new empty database per call (the PostgreSQL one is emptied again)."""
    calls = [0]

    def make() -> str:
        calls[0] += 1
        if any_database_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'cost{calls[0]}.db'}"
        empty_postgres(any_database_url)
        return any_database_url

    return make


def test_a_tick_with_nothing_due_costs_the_same_for_50_and_2000_open_invoices(fresh_url):
    small, _ = _statements(fresh_url(), 50, 0)
    large, _ = _statements(fresh_url(), 2_000, 0)
    assert small == large <= NOTHING_DUE_MAX


def test_deciding_what_is_due_costs_a_fixed_number_of_statements_per_batch(fresh_url, monkeypatch):
    small, _ = _statements(fresh_url(), 200, 0.05, decide_only=True, monkeypatch=monkeypatch)  # 10 due
    large, _ = _statements(fresh_url(), 2_000, 0.05, decide_only=True, monkeypatch=monkeypatch)  # 100 due
    assert small == large


def test_recording_costs_per_recorded_reminder_not_per_open_invoice(fresh_url):
    statements, recorded = _statements(fresh_url(), 1_000, 0.01)
    assert recorded == 10
    assert statements <= NOTHING_DUE_MAX + 40 + PER_RECORDED_MAX * recorded
