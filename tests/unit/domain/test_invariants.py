"""Property tests: whatever happens to a book of invoices, the engine keeps its promises."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.unit.domain.ledger import AMSTERDAM, Invoice, Ledger
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus

START = date(2027, 1, 4)
WINDOW = SendingWindow(holidays=frozenset(holidays.country_holidays("NL", years=[2027]).keys()))
CLOSED = (InvoiceStatus.PAID, InvoiceStatus.CREDITED, InvoiceStatus.DISPUTED, InvoiceStatus.WRITTEN_OFF)

invoice = st.tuples(
    st.integers(0, 3),  # debtor
    st.integers(0, 60),  # issued on day
    st.sampled_from([7, 14, 30]),  # payment term
    st.integers(1, 5000),  # amount
)
happening = st.tuples(
    st.integers(0, 150),  # day
    st.integers(0, 30),  # which invoice (modulo the count)
    st.sampled_from(["paid", "credited", "disputed", "written_off", "part", "promise", "pause", "plan", "resolve"]),
    st.integers(1, 30),  # days (promise, pause) or instalment spacing
)


def apply(ledger: Ledger, day: date, target: Invoice, kind: str, days: int) -> None:
    if kind in ("paid", "credited", "disputed", "written_off"):
        target.status = InvoiceStatus(kind)
    elif kind == "part":
        target.paid = min(target.amount, target.paid + target.amount / 3)
    elif kind == "promise":
        target.promise_until, target.promises = day + timedelta(days=days), target.promises + 1
    elif kind == "pause":
        target.paused_until = day + timedelta(days=days)
    elif kind == "plan":
        half = (target.amount - target.paid) / 2
        target.plan = PaymentPlan((Instalment(day + timedelta(days=days), half),
                                   Instalment(day + timedelta(days=2 * days), half)))
    elif kind == "resolve" and target.status is InvoiceStatus.DISPUTED:
        target.status, target.paused_until = InvoiceStatus.OPEN, day + timedelta(days=1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    invoices=st.lists(invoice, min_size=1, max_size=12),
    events=st.lists(happening, max_size=20),
    segments=st.lists(st.sampled_from(list(Segment)), min_size=4, max_size=4),
    consumers=st.lists(st.booleans(), min_size=4, max_size=4),
    hours=st.lists(st.integers(0, 23), min_size=1, max_size=7),
)
def test_invariants_hold_for_any_story(invoices, events, segments, consumers, hours):
    ledger = Ledger({d: policy_for(segments[d], consumers[d], WINDOW) for d in range(4)},
                    offline=frozenset({3}))
    for number, (debtor, issued, term, amount) in enumerate(invoices):
        issue = START + timedelta(days=issued)
        ledger.add(Invoice(number, debtor, issue, issue + timedelta(days=term), Decimal(amount)))
    by_day: dict[int, list] = {}
    for day, which, kind, days in events:
        by_day.setdefault(day, []).append((which % len(invoices), kind, days))
    for offset in range(180):
        day = START + timedelta(days=offset)
        for which, kind, days in by_day.get(offset, []):
            apply(ledger, day, ledger.invoices[which], kind, days)
        for hour in sorted(set(hours)):
            now = datetime.combine(day, time(hour), AMSTERDAM)
            open_now = {i.id for i in ledger.invoices.values() if i.status is InvoiceStatus.OPEN
                        and i.amount > i.paid}
            before = len(ledger.log)
            batch = ledger.tick(now)
            for group in (*batch.messages, *batch.handoffs):
                assert set(group.invoice_ids) <= open_now, "a message about a closed, paid or disputed invoice"
            for group in batch.messages:
                assert WINDOW.is_open(now), "a message outside the sending window"
                assert len([m for m in batch.messages if m.debtor_id == group.debtor_id]) == 1
            assert len(ledger.log) - before == len(batch.messages) + len(batch.handoffs)
    event(f"messages: {min(len(ledger.log), 20) // 5 * 5}+")
    for history in ledger.history.values():
        names = [s.name for s in history]
        assert len(names) == len(set(names)), "the same step twice"
    letters = [(at, s) for at, s in zip(ledger.at, ledger.log, strict=True) if s.step != "handoff"]
    for debtor in range(4):
        times = sorted(at for at, s in letters if s.debtor == debtor)
        for earlier, later in zip(times, times[1:], strict=False):
            assert later - earlier >= timedelta(days=5), "two messages to one debtor within the minimum gap"
