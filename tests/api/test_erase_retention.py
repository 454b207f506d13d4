"""The retention purge of inbound messages' raw bytes: by the daily job, by `dunning purge`, and what it keeps."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.integration.scheduler_passes import two_scheduler_passes
from worker.cli import main
from worker.composition import build_container, install
from worker.config import ConfigurationError, Settings, load_settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, InboundMessage, Invoice, TimelineEvent
from worker.db.session import make_engine, make_session_factory
from worker.domain.events import EventKind
from worker.jobs.purge import purge
from worker.usecases import privacy_retention
from worker.usecases.businesses import create_business
from worker.usecases.privacy_retention import purge_raw_messages
from worker.usecases.timeline import record_event

NOW = datetime(2028, 3, 15, 3, tzinfo=UTC)


def _seed(sessions):
    """Messages of several ages and states; returns their ids by name."""
    ids = {}
    with sessions.begin() as session:
        business, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban=None, now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        for name, days_old, status in (("old_reply", 400, "processed"), ("old_quarantined", 366, "quarantined"),
                                       ("old_invoice_mail", 900, "processed"), ("old_unhandled", 500, "stored"),
                                       ("young_reply", 364, "processed")):
            message = InboundMessage(message_key=f"<{name}@x>", business_id=business.id, raw=f"raw {name}".encode(),
                                     from_address="ap@klant.example", subject=name, status=status, kind="reply",
                                     received_at=NOW - timedelta(days=days_old), content_hash=name)
            session.add(message)
            session.flush()
            ids[name] = message.id
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", due_date=date(2026, 1, 1),
                          amount_due=Decimal(10), amount_paid=Decimal(0), status="open", reply_token="t1",
                          created_at=NOW, source_message_id=ids["old_invoice_mail"])
        session.add(invoice)
        session.flush()
        record_event(session, EventKind.REPLY_RECEIVED, at=NOW - timedelta(days=400), business_id=business.id,
                     invoice_id=invoice.id, debtor_id=debtor.id, inbound_message_id=ids["old_reply"],
                     intent="promise")
    return ids


def _raw(sessions):
    with sessions() as session:
        return {m.subject: (m.raw, m.raw_purged_at is not None) for m in session.scalars(select(InboundMessage))}


@pytest.fixture
def stored(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    yield sessions, _seed(sessions)
    engine.dispose()


def test_the_purge_empties_old_raw_messages_and_keeps_the_rest(stored, monkeypatch):
    sessions, ids = stored
    monkeypatch.setattr(privacy_retention, "BATCH", 1)  # one message per transaction: the loop goes on to the end
    result = purge_raw_messages(sessions, retention_days=365, now=NOW)
    assert result["purged"] == 2 and result["received_before"] == "2027-03-16T03:00:00+00:00"
    raw = _raw(sessions)
    assert raw["old_reply"] == (b"", True) and raw["old_quarantined"] == (b"", True)
    assert raw["old_invoice_mail"] == (b"raw old_invoice_mail", False)  # the invoice document: fiscal retention
    assert raw["old_unhandled"] == (b"raw old_unhandled", False)  # not handled yet
    assert raw["young_reply"] == (b"raw young_reply", False)
    with sessions() as session:  # the timeline stays, with its link to the (emptied) message
        event = session.scalars(select(TimelineEvent)).one()
        assert (event.inbound_message_id, event.data["intent"]) == (ids["old_reply"], "promise")
        assert session.get(InboundMessage, ids["old_reply"]).from_address == "ap@klant.example"
    assert purge_raw_messages(sessions, retention_days=365, now=NOW)["purged"] == 0
    # a day later the 364-day-old reply is old enough, with a shorter setting even sooner
    assert purge_raw_messages(sessions, retention_days=365, now=NOW + timedelta(days=2))["purged"] == 1


def test_the_cli_purges_with_the_setting_or_days(any_database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DUNNING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUNNING_DATABASE_URL", any_database_url)
    monkeypatch.setenv("DUNNING_RAW_MESSAGE_RETENTION_DAYS", "450")
    container = build_container(load_settings())
    upgrade(container.engine)
    _seed(container.sessions)
    assert main(["purge", "--now", NOW.isoformat()]) == 0
    assert '"purged": 0' in capsys.readouterr().out  # 450 days: only the kept ones are older
    assert main(["purge", "--now", NOW.isoformat(), "--days", "365"]) == 0
    assert '"purged": 2' in capsys.readouterr().out
    assert main(["purge", "--now", "2028-03-17", "--days", "365"]) == 0  # two days on: the 364-day-old reply
    assert '"purged": 1' in capsys.readouterr().out
    assert main(["purge", "--days", "0"]) == 2
    assert "--days" in capsys.readouterr().err
    container.engine.dispose()


def test_the_daily_job_reads_the_setting(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url,
                                         raw_message_retention_days=390))
    upgrade(container.engine)
    _seed(container.sessions)
    install(container)
    try:
        assert purge(NOW.isoformat())["purged"] == 1  # only the 400-day-old reply is past 390 days
        assert _raw(container.sessions)["old_quarantined"][1] is False
    finally:
        install(None)  # type: ignore[arg-type]
        container.engine.dispose()


def test_the_retention_setting_is_checked():
    assert Settings().raw_message_retention_days == 365
    with pytest.raises(ConfigurationError, match="raw_message_retention_days"):
        load_settings(raw_message_retention_days=0)


def test_the_scheduler_enqueues_one_purge_a_day_next_to_the_recompute(redis_url):
    from redis import Redis
    from rq.job import Job

    from worker.jobs.queue import queue
    from worker.runtime import RECOMPUTE_HOUR_UTC

    redis = Redis.from_url(redis_url)
    day = date(2029, 7, 1)  # a day no other test schedules
    at = datetime.combine(day, datetime.min.time(), UTC).replace(hour=RECOMPUTE_HOUR_UTC, minute=5)
    with two_scheduler_passes(redis, at):
        job = Job.fetch(f"purge-raw-messages-{day.isoformat()}", connection=redis)
        assert job.func_name == "worker.jobs.purge.purge"
        assert queue(redis).get_job_ids().count(job.id) == 1
