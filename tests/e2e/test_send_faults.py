"""Exactly once to the last step: real worker processes against a fault-injecting SMTP server, a moved clock.

Each test counts, at the SMTP server, how often each (recipient, Message-ID) was accepted: one delivery per
recipient, no duplicate, nothing lost. The server files the envelope-only sent copy in the service's Dovecot
account as an MTA would, which is the proof a restarted worker looks for before sending again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.e2e.harness import Service, make_service
from tests.e2e.test_robustness import AFTER_DUE, one_invoice
from tests.fault_smtp import FaultSmtpServer
from worker.db.models import Business, Debtor, Invoice, OutboundDelivery, OutboundMessage, TimelineEvent
from worker.jobs.queue import enqueue_send
from worker.usecases.send import CLAIM_LEASE

pytestmark = pytest.mark.integration

CONTACT, GENERAL = "inkoop@klant.example", "info@klant.example"


@pytest.fixture
def fsvc(dovecot, fault_smtp, redis_url, fresh_postgres_url, tmp_path) -> Service:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("rq:*"):
        client.delete(key)
    account = dovecot.new_account("svc")
    service = make_service(account=account, smtp_url=fault_smtp.url, redis_url=redis_url,
                           database_url=fresh_postgres_url, data_dir=tmp_path, sent_copy_address="auto")
    copy_address = service.container.settings.effective_sent_copy_address
    assert copy_address is not None
    fault_smtp.deliver_locally(copy_address, account)
    service.key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"],  # type: ignore[attr-defined]
                                       "billing@jansen.example")
    return service


def worker_env(service: Service, tmp_path: Path) -> dict[str, str]:
    s = service.container.settings
    return {**os.environ, "DUNNING_DATABASE_URL": s.database_url or "", "DUNNING_REDIS_URL": s.redis_url or "",
            "DUNNING_SMTP_URL": s.smtp_url or "", "DUNNING_MAILBOX_URL": s.mailbox_url or "",
            "DUNNING_SERVICE_ADDRESS": s.service_address, "DUNNING_MESSAGE_ID_DOMAIN": s.message_id_domain,
            "DUNNING_SENT_COPY_ADDRESS": s.sent_copy_address,
            "DUNNING_DATA_DIR": str(tmp_path / "worker"), "DUNNING_LETTER_FORMAT": "docx"}


def run_burst(service: Service, tmp_path: Path, now: datetime) -> str:
    """A real worker process runs every queued job at `now` and exits; its log is returned."""
    result = subprocess.run([sys.executable, "-m", "tests.e2e.frozen_worker", now.isoformat(), "--burst"],
                            env=worker_env(service, tmp_path), capture_output=True, timeout=120)
    return (result.stdout + result.stderr).decode(errors="replace")


def kill_when_held(service: Service, server: FaultSmtpServer, tmp_path: Path, hold: str) -> None:
    """Start a long-running worker, wait until the server holds it at `hold`, then SIGKILL it."""
    server.fault.hold = hold
    log = tmp_path / f"worker-{hold}.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "tests.e2e.frozen_worker", AFTER_DUE.isoformat()],
                                  env=worker_env(service, tmp_path), stdout=out, stderr=subprocess.STDOUT)
        try:
            assert server.wait_held(1, timeout=90), log.read_text(errors="replace")
            assert outbox_statuses(service) == ["sending"]
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
            server.release()


def outbox_statuses(service: Service, step_prefix: str = "") -> list[str]:
    with service.container.sessions.begin() as session:
        return list(session.scalars(select(OutboundMessage.status).where(OutboundMessage.step.startswith(step_prefix))
                                    .order_by(OutboundMessage.id)))


def recipients_of_letters(service: Service) -> dict[str, str]:
    """Message-ID -> the step, for the letters to debtors (not notices to the business)."""
    with service.container.sessions.begin() as session:
        rows = session.execute(select(OutboundMessage.message_id, OutboundMessage.step)).all()
    return {mid: step for mid, step in rows if not step.startswith("notice")}


def tally(server: FaultSmtpServer, expected: set[tuple[str, str]]) -> tuple[int, int, int]:
    """(delivered, duplicated, lost) over the expected (recipient, Message-ID) pairs."""
    counts = server.delivered()
    delivered = sum(1 for pair in expected if counts[pair] >= 1)
    duplicated = sum(counts[pair] - 1 for pair in expected if counts[pair] > 1)
    duplicated += sum(n for pair, n in counts.items() if pair not in expected and pair[1] in {m for _, m in expected})
    return delivered, duplicated, len(expected) - delivered


def when_due(service: Service, at_least: datetime) -> datetime:
    """The moment the pending rows' retry schedule allows another attempt (at least `at_least`)."""
    with service.container.sessions.begin() as session:
        due = session.scalars(select(OutboundMessage.next_attempt_at).where(
            OutboundMessage.status == "pending", OutboundMessage.next_attempt_at.is_not(None))).all()
    return max([at_least, *due])


def one_reminder(service: Service) -> str:
    """Ingest one invoice and record its first reminder; return the reminder's Message-ID."""
    service.append(one_invoice(service))
    service.ingest()
    assert len(service.tick(AFTER_DUE).recorded) == 1
    (message_id,) = recipients_of_letters(service)
    return message_id


def after_lease(service: Service, tmp_path: Path) -> datetime:
    """The dead worker's claim has expired: the tick's sweep hands the row to a fresh job, a new worker runs it."""
    later = AFTER_DUE + CLAIM_LEASE + timedelta(minutes=1)
    service.tick(later)
    run_burst(service, tmp_path, later)
    return later


@pytest.mark.parametrize("hold", ["rcpt", "data", "after_250"])
def test_kill_9_in_the_smtp_transaction_then_exactly_one_delivery(fsvc, fault_smtp, tmp_path, hold):
    message_id = one_reminder(fsvc)
    kill_when_held(fsvc, fault_smtp, tmp_path, hold)
    reached = fault_smtp.delivered()[(CONTACT, message_id)]
    # Before DATA nothing reached the server; killed while the server held the data, the transaction died
    # with the client; after the 250 the server had it (and filed our copy) though the worker never knew.
    assert reached == (1 if hold == "after_250" else 0)

    # Within the lease a restarted worker leaves the dead worker's claim alone...
    fsvc.tick(AFTER_DUE + timedelta(minutes=1))
    run_burst(fsvc, tmp_path, AFTER_DUE + timedelta(minutes=1))
    assert outbox_statuses(fsvc) == ["sending"]
    # ...after it, the letter is proven sent (found by Message-ID) or sent now: once either way.
    log = after_lease(fsvc, tmp_path)
    assert outbox_statuses(fsvc) == ["sent"], log
    assert tally(fault_smtp, {(CONTACT, message_id)}) == (1, 0, 0)
    with fsvc.container.sessions.begin() as session:
        sent = session.scalars(select(TimelineEvent.data).where(TimelineEvent.kind == "ReminderSent")).all()
        delivery = session.scalars(select(OutboundDelivery)).one()
    assert len(sent) == 1 and delivery.recipient == CONTACT and delivery.status == "accepted"
    if hold == "after_250":
        assert sent[0]["note"].startswith("proof: sent copy found")
    else:
        assert sent[0]["queue_id"] == fault_smtp.accepted[-1].queue_id  # the server's id, from its reply
    # The server's copy of our letter is filed in Sent by ingest, never read as inbound mail.
    report = fsvc.ingest()
    assert [o.kind for o in report.outcomes] == ["sent_copy"] * len(report.outcomes)
    assert fsvc.folder_count("Sent") >= 1 and fsvc.folder_count("Quarantine") == 0


def direct_letter(service: Service, to: list[str], cc: list[str], key: str) -> tuple[int, str]:
    """An outbox row with a To and a CC, as an escalation letter has, enqueued like the tick does."""
    message_id = f"<{key}@{service.container.settings.message_id_domain}>"
    message = EmailMessage()
    message["From"], message["To"], message["Cc"] = "billing@jansen.example", ", ".join(to), ", ".join(cc)
    message["Subject"], message["Message-ID"] = "Herinnering factuur 2027-0100", message_id
    message.set_content("Wij hebben uw betaling nog niet ontvangen.")
    with service.container.sessions.begin() as session:
        row = OutboundMessage(business_id=session.scalars(select(Business.id)).one(), step="last_reminder",
                              message_id=message_id, to_addresses=to, cc_addresses=cc, subject=str(message["Subject"]),
                              raw=message.as_bytes(), status="pending", attempts=0, created_at=AFTER_DUE)
        session.add(row)
        session.flush()
        outbound_id = row.id
    enqueue_send(service.redis, outbound_id)
    return outbound_id, message_id


def test_451_on_the_cc_resends_only_to_the_cc(fsvc, fault_smtp, tmp_path):
    fault_smtp.fault.recipient_replies[GENERAL] = ["451 4.7.1 Greylisted, try again later", 1]
    outbound_id, message_id = direct_letter(fsvc, [GENERAL.replace("info", "directie")], [GENERAL], "cc-451")
    to = GENERAL.replace("info", "directie")
    run_burst(fsvc, tmp_path, AFTER_DUE)
    assert outbox_statuses(fsvc) == ["pending"]
    later = when_due(fsvc, AFTER_DUE + timedelta(minutes=1))
    fsvc.tick(later)  # the sweep hands the pending row to its job again, at its next attempt
    run_burst(fsvc, tmp_path, later)
    assert outbox_statuses(fsvc) == ["sent"]
    assert tally(fault_smtp, {(to, message_id), (GENERAL, message_id)}) == (2, 0, 0)
    real = [a.rcpt_tos for a in fault_smtp.accepted]
    copy = fsvc.container.settings.effective_sent_copy_address
    assert [[r for r in rcpts if r != copy] for rcpts in real] == [[to], [GENERAL]]  # the resend: only the CC
    with fsvc.container.sessions.begin() as session:
        found = {d.recipient: (d.status, d.attempts) for d in session.scalars(select(OutboundDelivery))}
    assert found == {to: ("accepted", 1), GENERAL: ("accepted", 2)}


def test_550_on_the_contact_replans_to_the_general_address_and_tells_the_business_once(fsvc, fault_smtp, tmp_path):
    fault_smtp.fault.recipient_replies[CONTACT] = ["550 5.1.1 <inkoop@klant.example>: Recipient address rejected",
                                                   99]
    first_id = one_reminder(fsvc)
    with fsvc.container.sessions.begin() as session:
        session.scalars(select(Debtor)).one().general_email = GENERAL
    run_burst(fsvc, tmp_path, AFTER_DUE)
    assert outbox_statuses(fsvc, "reminder") == ["rerouted"]
    later = AFTER_DUE + timedelta(minutes=5)
    fsvc.tick(later)  # the step is due again, now for the general address
    run_burst(fsvc, tmp_path, later)
    fsvc.tick(later + timedelta(minutes=5))
    run_burst(fsvc, tmp_path, later + timedelta(minutes=5))
    with fsvc.container.sessions.begin() as session:
        second_id = session.scalars(select(OutboundMessage.message_id).where(
            OutboundMessage.step == "reminder", OutboundMessage.status == "sent")).one()
    assert outbox_statuses(fsvc, "reminder") == ["rerouted", "sent"]
    assert tally(fault_smtp, {(GENERAL, second_id)}) == (1, 0, 0)
    assert fault_smtp.delivered()[(CONTACT, first_id)] == 0 and fault_smtp.delivered()[(CONTACT, second_id)] == 0
    with fsvc.container.sessions.begin() as session:
        assert session.scalars(select(Debtor)).one().contact_undeliverable
    notices = [a for a in fault_smtp.accepted if "billing@jansen.example" in a.rcpt_tos]
    assert len(notices) == 1  # told once
    with fsvc.container.sessions.begin() as session:
        invoice_id = session.scalars(select(Invoice.id)).one()
    explained = fsvc.get(f"/invoices/{invoice_id}/explain", fsvc.key).json()
    by_status = {d["status"]: d["recipients"] for d in explained["deliveries"]}
    assert by_status["rerouted"][0]["recipient"] == CONTACT and by_status["rerouted"][0]["code"] == 550
    assert by_status["sent"][0]["recipient"] == GENERAL and by_status["sent"][0]["status"] == "accepted"


def test_421_at_connect_then_accepted_once(fsvc, fault_smtp, tmp_path):
    message_id = one_reminder(fsvc)
    fault_smtp.fault.refuse_connect = True
    run_burst(fsvc, tmp_path, AFTER_DUE)
    assert outbox_statuses(fsvc) == ["pending"] and fault_smtp.accepted == []
    fault_smtp.fault.refuse_connect = False
    later = when_due(fsvc, AFTER_DUE + timedelta(minutes=1))
    fsvc.tick(later)
    run_burst(fsvc, tmp_path, later)
    assert outbox_statuses(fsvc) == ["sent"]
    assert tally(fault_smtp, {(CONTACT, message_id)}) == (1, 0, 0)


def test_smtp_down_for_two_minutes_then_back(fsvc, fault_smtp, tmp_path):
    message_id = one_reminder(fsvc)
    fault_smtp.stop()  # connection refused
    for minutes in (0, 1, 2):
        moment = AFTER_DUE + timedelta(minutes=minutes)
        fsvc.tick(moment)
        run_burst(fsvc, tmp_path, moment)
        assert outbox_statuses(fsvc) == ["pending"]
    fault_smtp.restart()
    later = when_due(fsvc, AFTER_DUE + timedelta(minutes=3))
    fsvc.tick(later)
    run_burst(fsvc, tmp_path, later)
    assert outbox_statuses(fsvc) == ["sent"]
    assert tally(fault_smtp, {(CONTACT, message_id)}) == (1, 0, 0)


def test_kill_9_after_the_250_with_a_to_and_a_cc_proves_both(fsvc, fault_smtp, tmp_path):
    to = GENERAL.replace("info", "directie")
    _, message_id = direct_letter(fsvc, [to], [GENERAL], "to-cc-kill")
    kill_when_held(fsvc, fault_smtp, tmp_path, "after_250")
    after_lease(fsvc, tmp_path)
    assert outbox_statuses(fsvc) == ["sent"]
    assert tally(fault_smtp, {(to, message_id), (GENERAL, message_id)}) == (2, 0, 0)
    with fsvc.container.sessions.begin() as session:
        found = {d.recipient: (d.status, d.reply) for d in session.scalars(select(OutboundDelivery))}
    assert found == {to: ("accepted", "proof: sent copy found in INBOX"),
                     GENERAL: ("accepted", "proof: sent copy found in INBOX")}
