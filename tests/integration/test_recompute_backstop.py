"""The daily backstop: `dunning recompute` repairs a moment a change outside the ORM left wrong, then finds
nothing more to change; the scheduler asks for it once a day, off-peak."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bench.bench_tick import seed
from tests.integration.scheduler_passes import two_scheduler_passes
from worker.cli import main
from worker.db.migrate import upgrade
from worker.db.models import Invoice
from worker.db.session import make_engine, make_session_factory
from worker.usecases.next_actions import recompute_next_actions

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
FAR = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def sessions(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    seed(engine, 20, 0.1)
    sessions = make_session_factory(engine)
    recompute_next_actions(sessions, NOW)  # every moment right
    yield sessions
    engine.dispose()


def moments(sessions) -> dict[int, datetime | None]:
    with sessions.begin() as session:
        return dict(session.execute(select(Invoice.id, Invoice.next_action_at)).all())


def test_a_moment_pushed_too_late_behind_the_orm_s_back_is_repaired_and_a_second_run_changes_nothing(
        sessions, any_database_url, tmp_path, monkeypatch, capsys):
    right = moments(sessions)
    with sessions.begin() as session:  # a Core UPDATE: no listener sees it, as a manual SQL fix would
        session.execute(update(Invoice).where(Invoice.id.in_((1, 2))).values(next_action_at=FAR))
    monkeypatch.setenv("DUNNING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUNNING_DATABASE_URL", any_database_url)
    assert main(["recompute", "--now", NOW.isoformat()]) == 0
    assert '"changed": 2' in capsys.readouterr().out
    assert moments(sessions) == right
    assert main(["recompute", "--now", NOW.isoformat()]) == 0
    assert '"changed": 0' in capsys.readouterr().out


def test_the_scheduler_enqueues_one_recompute_a_day_at_three_utc(redis_url):
    from redis import Redis
    from rq.job import Job

    from worker.jobs.queue import queue
    from worker.runtime import RECOMPUTE_HOUR_UTC

    redis = Redis.from_url(redis_url)
    day = NOW.date() + timedelta(days=400)  # a day no other test schedules
    at = datetime.combine(day, datetime.min.time(), UTC).replace(hour=RECOMPUTE_HOUR_UTC, minute=5)
    with two_scheduler_passes(redis, at):
        job = Job.fetch(f"recompute-next-actions-{day.isoformat()}", connection=redis)
        assert job.func_name == "worker.jobs.recompute.recompute"
        assert queue(redis).get_job_ids().count(job.id) == 1  # the second pass enqueued it no second time
