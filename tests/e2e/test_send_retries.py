"""Retries on schedule, end to end on real Redis (rq), SQLite and PostgreSQL and a real SMTP server answering
451 or 550: one job per outbox row, tried again only at its `next_attempt_at` under a moved clock, given up
after the last attempt, the business told once and the failure listed in GET /review."""

from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from rq import SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy import select

from tests.e2e.harness import make_service
from tests.factories.mail import invoice_mail
from worker.db.models import Debtor, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.jobs.queue import queue, send_job_id

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")
AFTER_DUE = datetime(2027, 1, 14, 10, tzinfo=AMS)  # a Thursday morning: due + 2, the reminder
CONTACT = "inkoop@klant.example"
GENERAL = "info@klant.example"


@pytest.fixture
def svc(dovecot, smtp_server, redis_url, any_database_url, tmp_path):
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("rq:*"):  # only rq's keys: the session's claim on this database stays
        client.delete(key)
    smtp_server.clear()
    service = make_service(account=dovecot.new_account("svc"), smtp_url=smtp_server.url, redis_url=redis_url,
                           database_url=any_database_url, data_dir=tmp_path, send_attempts=2)
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example", to=CONTACT,
                                bcc=service.ingest_address("Bakkerij Jansen"), number="2027-0100",
                                issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="121.00",
                                buyer_name="Klant B.V."))
    assert [o.status for o in service.ingest().outcomes] == ["processed"]
    service.key = key
    yield service
    smtp_server.clear()


def run_jobs(service) -> None:
    """Run every queued job here (rq burst mode); jobs scheduled for later stay scheduled."""
    SimpleWorker([queue(service.redis)], connection=service.redis).work(burst=True, logging_level="WARNING")


def outbound(service, outbound_id: int) -> OutboundMessage:
    with service.container.sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        session.expunge(row)
        return row


def jobs_in_redis(service) -> tuple[list[str], list[str]]:
    jobs = queue(service.redis)
    return jobs.get_job_ids(), jobs.scheduled_job_registry.get_job_ids()


def test_a_451_is_retried_at_its_moment_and_not_at_every_tick(svc, smtp_server):
    smtp_server.reject[CONTACT] = "451 4.3.0 Mailbox busy, try again later"
    [oid] = svc.tick(AFTER_DUE).recorded
    run_jobs(svc)
    waiting = outbound(svc, oid)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    # the first wait is 5 minutes plus up to one minute of jitter
    assert AFTER_DUE + timedelta(minutes=5) <= waiting.next_attempt_at <= AFTER_DUE + timedelta(minutes=6)
    assert Job.fetch(send_job_id(oid), connection=svc.redis).get_status() == JobStatus.SCHEDULED
    # Ticks before the moment add no job and send nothing, however many there are.
    for minutes in (1, 2, 4):
        svc.tick(AFTER_DUE + timedelta(minutes=minutes))
        assert jobs_in_redis(svc) == ([], [send_job_id(oid)])
        run_jobs(svc)
    assert outbound(svc, oid).attempts == 1 and smtp_server.messages == []
    # At the moment (the clock moved; rq's own schedule is real time) the sweep runs the same job now.
    del smtp_server.reject[CONTACT]
    svc.tick(waiting.next_attempt_at)
    assert jobs_in_redis(svc) == ([send_job_id(oid)], [])
    run_jobs(svc)
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [[CONTACT]]
    assert (outbound(svc, oid).status, outbound(svc, oid).attempts) == ("sent", 2)
    svc.tick(waiting.next_attempt_at + timedelta(hours=1))
    run_jobs(svc)
    assert len(smtp_server.messages) == 1 and jobs_in_redis(svc) == ([], [])


def test_a_retry_that_falls_due_at_night_waits_for_the_window(svc, smtp_server):
    smtp_server.reject[CONTACT] = "451 4.3.0 Mailbox busy, try again later"
    evening = datetime(2027, 1, 14, 17, 58, tzinfo=AMS)  # five minutes later the window has closed
    [oid] = svc.tick(evening).recorded
    run_jobs(svc)
    assert outbound(svc, oid).next_attempt_at == datetime(2027, 1, 15, 8, tzinfo=AMS)


def test_after_the_last_attempt_the_business_is_told_once_and_review_lists_it(svc, smtp_server):
    smtp_server.reject[CONTACT] = "451 4.3.0 Mailbox busy, try again later"
    [oid] = svc.tick(AFTER_DUE).recorded
    run_jobs(svc)
    svc.tick(outbound(svc, oid).next_attempt_at)
    run_jobs(svc)  # the second and last attempt (send_attempts=2)
    failed = outbound(svc, oid)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("failed", 2, None)
    assert failed.escalated_at is not None
    _business_told_once(svc, smtp_server, failed.escalated_at)
    [delivery] = svc.get("/review", svc.key).json()["failed_deliveries"]
    assert (delivery["outbound_id"], delivery["recipients"], delivery["code"], delivery["attempts"]) == (
        oid, [CONTACT], 451, 2)
    assert "Mailbox busy" in delivery["reason"] and "after 2 attempts" in delivery["reason"]


def test_a_550_fails_at_once_and_is_escalated(svc, smtp_server):
    # Not the contact: a refused contact is re-planned to another address instead (tests/e2e/test_send_faults.py).
    with svc.container.sessions.begin() as session:
        debtor = session.scalars(select(Debtor)).one()
        debtor.general_email, debtor.contact_undeliverable = GENERAL, True
    smtp_server.reject[GENERAL] = "550 5.1.1 <info@klant.example>: no such user"
    [oid] = svc.tick(AFTER_DUE).recorded
    run_jobs(svc)
    failed = outbound(svc, oid)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert jobs_in_redis(svc) == ([], [])  # nothing retries a permanent refusal
    with svc.container.sessions.begin() as session:
        [event] = session.scalars(select(TimelineEvent.data).where(
            TimelineEvent.kind == EventKind.DELIVERY_FAILED.value)).all()
    assert (event["code"], event["failed_recipients"]) == (550, [GENERAL])
    _business_told_once(svc, smtp_server, AFTER_DUE, GENERAL)
    [delivery] = svc.get("/review", svc.key).json()["failed_deliveries"]
    assert (delivery["recipients"], delivery["code"]) == ([GENERAL], 550)
    assert "no such user" in delivery["reason"]


def _business_told_once(svc, smtp_server, at: datetime, address: str = CONTACT) -> None:
    for minutes in (0, 5, 10):  # the sweep enqueues the recorded notice; later ticks add no second one
        svc.tick(at + timedelta(minutes=minutes))
        run_jobs(svc)
    [notice] = smtp_server.wait_for(1)
    assert notice.rcpt_tos == ["billing@jansen.example"]
    body = message_from_bytes(notice.raw, policy=policy.default).get_body(("plain",)).get_content()
    assert address in body
    assert len(smtp_server.messages) == 1


def test_after_a_redis_flush_the_database_keeps_the_schedule(svc, smtp_server):
    smtp_server.reject[CONTACT] = "451 4.3.0 Mailbox busy, try again later"
    [oid] = svc.tick(AFTER_DUE).recorded
    run_jobs(svc)
    moment = outbound(svc, oid).next_attempt_at
    for key in svc.redis.scan_iter("rq:*"):  # Redis lost every job: only the database remembers
        svc.redis.delete(key)
    svc.tick(moment - timedelta(seconds=1))
    assert jobs_in_redis(svc) == ([], [])  # not yet: the back-off holds without Redis
    del smtp_server.reject[CONTACT]
    svc.tick(moment)
    run_jobs(svc)
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [[CONTACT]]
