"""An in-memory book of invoices that walks the clock through `group_due`, recording every message."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from worker.domain.facts import InvoiceFacts
from worker.domain.grouping import Batch, DebtorInvoice, group_due
from worker.domain.payment_plan import PaymentPlan
from worker.domain.policy import LadderPolicy
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass
class Invoice:
    id: int
    debtor: int
    issue: date
    due: date
    amount: Decimal
    paid: Decimal = Decimal("0")
    status: InvoiceStatus = InvoiceStatus.OPEN
    promise_until: date | None = None
    promises: int = 0
    paused_until: date | None = None
    plan: PaymentPlan | None = None


@dataclass(frozen=True)
class Sent:
    """One message (or hand-off) as the story records it."""

    on: date
    debtor: int
    step: str
    invoices: tuple[int, ...]
    total: Decimal


@dataclass
class Ledger:
    policies: dict[int, LadderPolicy]
    offline: frozenset[int] = frozenset()
    invoices: dict[int, Invoice] = field(default_factory=dict)
    history: dict[int, list[SentStep]] = field(default_factory=dict)
    debtor_last: dict[int, datetime] = field(default_factory=dict)
    log: list[Sent] = field(default_factory=list)
    at: list[datetime] = field(default_factory=list)  # the moment of each logged entry

    def add(self, invoice: Invoice) -> None:
        self.invoices[invoice.id] = invoice

    def facts(self, inv: Invoice) -> InvoiceFacts:
        sent = self.history.get(inv.id, [])
        return InvoiceFacts(
            status=inv.status, due_date=inv.due, open_amount=inv.amount - inv.paid,
            sent_steps=frozenset(s.name for s in sent),
            last_message_at=max((s.at for s in sent), default=None),
            issue_date=inv.issue, sent_history=tuple(sent),
            debtor_last_message_at=self.debtor_last.get(inv.debtor),
            offline=inv.debtor in self.offline, promise_until=inv.promise_until, promises=inv.promises,
            paused_until=inv.paused_until,
            plan=None if inv.plan is None else replace(inv.plan, paid=inv.paid),
        )

    def tick(self, now: datetime) -> Batch:
        items = [DebtorInvoice(inv.debtor, inv.id, self.facts(inv), self.policies[inv.debtor])
                 for inv in self.invoices.values() if inv.issue <= now.astimezone(AMSTERDAM).date()]
        batch = group_due(items, now)
        for group in (*batch.messages, *batch.handoffs):
            for invoice_id in group.invoice_ids:
                self.history.setdefault(invoice_id, []).append(SentStep(group.step.name, now))
                if group.step.template is None:
                    self.invoices[invoice_id].status = InvoiceStatus.HANDED_OFF
            if group.step.template is not None:
                self.debtor_last[group.debtor_id] = now
            self.log.append(Sent(now.astimezone(AMSTERDAM).date(), group.debtor_id, group.step.name,
                                 group.invoice_ids, group.total))
            self.at.append(now)
        return batch


def mornings(start: date, end: date, hour: int = 10):
    """Every day from `start` to `end` inclusive at `hour` o'clock Amsterdam time."""
    day = start
    while day <= end:
        yield datetime.combine(day, time(hour), AMSTERDAM)
        day += timedelta(days=1)
