"""PooledSmtpSender against a real SMTP server with faults: one connection for consecutive messages, RSET
between, a new one after the server went away, and every per-message guarantee of SmtpSender kept."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from mailer.compose import build_message, make_message_id
from mailer.sender import PermanentDeliveryError, SmtpSender, TransientDeliveryError
from mailer.smtp_pool import PooledSmtpSender

pytestmark = pytest.mark.integration

NOW = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
COPY = "svc+sent@service.test"


def _letter(key: str, to: str = "debtor@example.test"):
    return build_message(from_address="invoices@shop.example", from_name="Shop B.V.", to=[to], cc=None,
                         reply_to="invoices+tok1@shop.example", subject=f"Herinnering {key}", text="Beste klant,\n",
                         message_id=make_message_id(key, "shop.example"), date=NOW)


@pytest.fixture
def pool(fault_smtp):
    sender = PooledSmtpSender(SmtpSender(fault_smtp.host, fault_smtp.port, envelope_from="svc@service.test",
                                         copy_to=COPY, timeout=10), max_connections=1)
    yield sender
    sender.close()


def send(pool: PooledSmtpSender, key: str, recipients: list[str]):
    # As the send job calls it: a new event loop per message, the connection living on in the pool.
    return asyncio.run(pool.send(_letter(key, recipients[0]), recipients))


def test_consecutive_messages_share_one_connection(pool, fault_smtp):
    receipts = [send(pool, f"m{n}", [f"debtor{n}@example.test"]) for n in range(5)]
    assert pool.connections_opened == 1
    assert [r.queue_id for r in receipts] == [a.queue_id for a in fault_smtp.accepted]
    # The copy to self rides in every envelope, never in a header.
    assert all(a.rcpt_tos == [f"debtor{n}@example.test", COPY] for n, a in enumerate(fault_smtp.accepted))
    assert all(COPY.encode() not in a.raw for a in fault_smtp.accepted)


def test_a_server_that_went_away_between_messages_costs_a_reconnect_not_a_message(pool, fault_smtp):
    send(pool, "before", ["a@example.test"])
    fault_smtp.stop()  # closes the idle connection; the next RSET fails before any MAIL FROM
    fault_smtp.restart()
    receipt = send(pool, "after", ["b@example.test"])
    assert receipt.accepted == ["b@example.test"] and pool.connections_opened == 2
    assert [a.rcpt_tos[0] for a in fault_smtp.accepted] == ["a@example.test", "b@example.test"]


def test_a_partial_refusal_is_reported_and_the_connection_goes_on(pool, fault_smtp):
    fault_smtp.fault.recipient_replies["gone@example.test"] = ["550 5.1.1 No such user", 1]
    with pytest.raises(PermanentDeliveryError) as refused:
        send(pool, "partial", ["ok@example.test", "gone@example.test"])
    assert refused.value.accepted == ["ok@example.test"] and refused.value.queue_id is not None
    assert send(pool, "next", ["c@example.test"]).accepted == ["c@example.test"]
    assert fault_smtp.accepted[-1].rcpt_tos == ["c@example.test", COPY]  # RSET: nothing of the last envelope


def test_all_refused_skips_the_copy_and_a_new_connection_serves_the_next(pool, fault_smtp):
    fault_smtp.fault.recipient_replies["gone@example.test"] = ["550 5.1.1 No such user", 1]
    with pytest.raises(PermanentDeliveryError):
        send(pool, "refused", ["gone@example.test"])
    assert fault_smtp.accepted == []  # no DATA: no copy filed for a letter nobody got
    assert send(pool, "then", ["d@example.test"]).accepted == ["d@example.test"]


def test_a_server_that_is_down_is_transient_and_not_maybe_delivered(pool, fault_smtp):
    fault_smtp.stop()
    with pytest.raises(TransientDeliveryError) as down:
        send(pool, "down", ["e@example.test"])
    assert not down.value.maybe_delivered
    fault_smtp.restart()
    assert send(pool, "up", ["e@example.test"]).accepted == ["e@example.test"]


def test_idle_connections_are_closed_before_the_server_would(fault_smtp):
    clock = [0.0]
    pool = PooledSmtpSender(SmtpSender(fault_smtp.host, fault_smtp.port, timeout=10), max_idle=30,
                            monotonic=lambda: clock[0])
    try:
        send(pool, "one", ["f@example.test"])
        clock[0] = 31.0
        send(pool, "two", ["f@example.test"])
        assert pool.connections_opened == 2
    finally:
        pool.close()
