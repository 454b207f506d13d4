"""With Redis and an rq worker: the import and the webhook deliveries run as rq jobs, on the worker."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from rq import SimpleWorker

from tests.e2e.harness import MovableClock
from tests.integration.webhook_receiver import start_receiver
from worker.api.app import create_app
from worker.composition import build_container, install
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.domain.webhook_signature import HEADER, verify
from worker.jobs.queue import queue
from worker.jobs.webhook_delivery import JOB_ID
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
CSV = b"invoice number,amount,debtor e-mail\nF-1,100.00,ap@klant.example\nF-2,x,ap@klant.example\n"


@pytest.fixture
def service(fresh_postgres_url, redis_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=fresh_postgres_url, redis_url=redis_url,
                                         letter_format="docx", webhook_allow_private=True))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    install(container)  # the rq jobs of this process use it, as `dunning worker` installs its own
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    listening = SimpleWorker([queue(redis)], connection=redis)
    listening.register_birth()  # a worker listens: the API hands jobs to rq instead of running them itself
    with container.sessions.begin() as session:
        _business, key = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                         from_address="billing@jansen.example", language="nl", now=NOW)
    yield container, TestClient(create_app(container)), key, lambda: SimpleWorker(
        [queue(redis)], connection=redis).work(burst=True, logging_level="WARNING")
    listening.register_death()
    redis.flushdb()
    container.engine.dispose()


def test_an_import_waits_in_the_queue_until_the_worker_runs_it(service):
    container, client, key, work = service
    started = client.post("/imports/invoices", headers={"X-API-Key": key}, files={"file": ("o.csv", CSV, "text/csv")})
    assert started.status_code == 202
    import_id = started.json()["id"]
    waiting = client.get(f"/imports/{import_id}", headers={"X-API-Key": key}).json()
    assert (waiting["status"], waiting["done"], waiting["total"]) == ("queued", 0, 2)
    assert queue(container.redis).job_ids == [f"import-invoices-{import_id}"]
    work()
    done = client.get(f"/imports/{import_id}", headers={"X-API-Key": key}).json()
    assert (done["status"], done["imported"], done["refused"]) == ("finished", 1, 1)


def test_a_webhook_delivery_runs_as_a_job_and_a_failure_schedules_the_retry(service):
    container, client, key, work = service
    receiver = start_receiver()
    try:
        hook = client.post("/webhooks", headers={"X-API-Key": key},
                           json={"url": receiver.url, "events": ["invoice.status_changed"]}).json()
        with container.sessions.begin() as session:
            debtor = Debtor(business_id=1, contact_email="ap@klant.example", created_at=NOW)
            session.add(debtor)
            session.flush()
            invoice = Invoice(business_id=1, debtor_id=debtor.id, number="F-9", due_date=date(2027, 1, 1),
                              currency="EUR", amount_due=Decimal("10.00"), amount_paid=Decimal(0), status="open",
                              reply_token="f9", parsed={}, created_at=NOW)
            session.add(invoice)
        receiver.answers = [502]
        with container.sessions.begin() as session:
            session.get_one(Invoice, invoice.id).status = "disputed"
        assert queue(container.redis).job_ids == [JOB_ID]  # the commit kicked the delivery job
        work()
        [request] = receiver.received
        assert verify(hook["secret"], request.headers[HEADER], request.body, NOW)
        assert json.loads(request.body)["data"]["to"] == "disputed"
        [row] = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
        assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, 502)
        retry_at = datetime.fromisoformat(row["next_attempt_at"])
        scheduled = queue(container.redis).scheduled_job_registry.get_job_ids()
        assert scheduled == [f"{JOB_ID}-at-{int(retry_at.timestamp())}"]
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
