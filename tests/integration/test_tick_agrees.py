"""Over random timelines (invoices, payments, promises, reported payments, plans, debtor changes, a moving clock),
the index-driven tick records exactly what a tick that decides every invoice records, and the moments it keeps
are never later than a full recomputation's."""

import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import RECOMPUTE, Business, Debtor, Invoice, OutboundInvoice, OutboundMessage
from worker.db.session import make_engine, make_session_factory
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.due_batch import decide_batch
from worker.usecases.payment_plans import agree_payment_plan
from worker.usecases.payments import record_payment
from worker.usecases.reported_payments import report_payment
from worker.usecases.tick import run_tick
from worker.usecases.timeline import record_event

LETTERS = LetterSettings("invoices@service.test", "service.test", None)
START = datetime(2027, 1, 4, 7, tzinfo=UTC)  # a Monday, 08:00 in Amsterdam

operations = st.lists(st.one_of(
    st.tuples(st.just("advance"), st.integers(1, 24 * 9)),
    st.tuples(st.just("pay"), st.integers(0, 5), st.sampled_from(["full", "part"])),
    st.tuples(st.just("promise"), st.integers(0, 5), st.integers(1, 12)),
    st.tuples(st.just("report"), st.integers(0, 5)),
    st.tuples(st.just("plan"), st.integers(0, 5)),
    st.tuples(st.just("offline"), st.integers(0, 2)),
), min_size=3, max_size=14)
invoices_ = st.lists(st.tuples(st.integers(0, 2), st.integers(-40, 25)), min_size=1, max_size=6)


def _database(tmp_path, name: str):
    engine = make_engine(f"sqlite:///{tmp_path / f'{name}-{secrets.token_hex(4)}.db'}")
    upgrade(engine)
    return engine, make_session_factory(engine)


def _seed(sessions, invoices: list[tuple[int, int]]) -> None:
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300",
                                      ingest_address="in@service.test", now=START)
        debtors = [Debtor(business_id=business.id, contact_email=f"ap{n}@klant.example", name=f"Klant {n}",
                          created_at=START) for n in range(3)]
        session.add_all(debtors)
        session.flush()
        for n, (debtor, due_in) in enumerate(invoices):
            due = START.date() + timedelta(days=due_in)
            session.add(Invoice(business_id=business.id, debtor_id=debtors[debtor].id, number=f"2027-{n:03}",
                                issue_date=due - timedelta(days=30), due_date=due, currency="EUR",
                                amount_due=Decimal("100.00"), status="open", reply_token=f"tok{n}",
                                parsed={}, created_at=START))


def _apply(sessions, op: tuple, now: datetime) -> None:
    with sessions.begin() as session:
        invoices = list(session.scalars(select(Invoice).order_by(Invoice.id)))
        kind = op[0]
        if kind in ("pay", "promise", "report", "plan"):
            invoice = invoices[op[1] % len(invoices)]
            if invoice.status != "open":
                return
            today = now.date()
            if kind == "pay":
                open_amount = invoice.amount_due - invoice.amount_paid
                amount = open_amount if op[2] == "full" else min(open_amount, Decimal("30.00"))
                record_payment(session, invoice, amount, paid_on=today, note=None, now=now)
            elif kind == "promise":
                record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, at=now, business_id=invoice.business_id,
                             invoice_id=invoice.id, debtor_id=invoice.debtor_id,
                             promised_date=(today + timedelta(days=op[2])).isoformat())
            elif kind == "report":
                report_payment(session, session.get_one(Business, invoice.business_id), invoice, amount=None,
                               reported_on=today, source="reply", sender=None, inbound_id=None, matched_by="test",
                               now=now)
            else:
                left = invoice.amount_due - invoice.amount_paid
                half = (left / 2).quantize(Decimal("0.01"))
                agree_payment_plan(session, invoice, [(today + timedelta(days=7), half),
                                                      (today + timedelta(days=21), left - half)],
                                   now=now, letters=LETTERS)
        elif kind == "offline":
            debtors = list(session.scalars(select(Debtor).order_by(Debtor.id)))
            debtor = debtors[op[1] % len(debtors)]
            debtor.offline = not debtor.offline


def _recorded(sessions) -> list[tuple]:
    with sessions.begin() as session:
        rows = session.execute(select(OutboundMessage.debtor_id, OutboundMessage.step, OutboundMessage.status,
                                      OutboundMessage.created_at, OutboundMessage.id)
                               .order_by(OutboundMessage.id)).all()
        links = session.execute(select(OutboundInvoice.outbound_message_id, Invoice.number)
                                .join(Invoice, Invoice.id == OutboundInvoice.invoice_id)).all()
    numbers: dict[int, list[str]] = {}
    for outbound_id, number in links:
        numbers.setdefault(outbound_id, []).append(number)
    return [(debtor, step, status, at, tuple(sorted(numbers.get(oid, [])))) for debtor, step, status, at, oid in rows]


def _never_later_than_a_full_recomputation(sessions, now: datetime) -> None:
    with sessions.begin() as session:
        stored = dict(session.execute(select(Invoice.id, Invoice.next_action_at)
                                      .where(Invoice.status.in_(("open", "paid")))).all())
        fresh = decide_batch(session, list(stored), now, group=False).next_at
    for invoice_id, moment in stored.items():
        computed = fresh[invoice_id]
        assert moment is None or moment > now, (invoice_id, moment, now)  # the tick left nothing due behind
        if computed is None:
            continue
        assert moment is not None, (invoice_id, computed)
        assert moment <= max(computed, now + timedelta(microseconds=1)), (invoice_id, moment, computed, now)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoices_, operations)
def test_the_index_driven_tick_records_what_a_full_scan_records(tmp_path, invoices, ops):
    (engine_a, incremental), (engine_b, full_scan) = _database(tmp_path, "a"), _database(tmp_path, "b")
    try:
        for sessions in (incremental, full_scan):
            _seed(sessions, invoices)
        now = START
        for op in [*ops, ("advance", 1)]:
            if op[0] == "advance":
                now += timedelta(hours=op[1])
                run_tick(incremental, now, LETTERS, lambda *_: None)
                with full_scan.begin() as session:  # the reference decides every invoice, as the old tick did
                    session.execute(update(Invoice).values(next_action_at=RECOMPUTE)
                                    .execution_options(synchronize_session=False))
                run_tick(full_scan, now, LETTERS, lambda *_: None)
                assert _recorded(incremental) == _recorded(full_scan)
                _never_later_than_a_full_recomputation(incremental, now)
            else:
                for sessions in (incremental, full_scan):
                    _apply(sessions, op, now)
    finally:
        engine_a.dispose()
        engine_b.dispose()
