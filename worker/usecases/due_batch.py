"""Decide a batch of invoices at once: what is due now (grouped per debtor) and when each must be looked at again.

The tick and the full recomputation both go through `decide_batch`: a fixed number of set-based queries per
batch, then the pure domain (`group_due`, `next_action_at`, `thank_you_at`).
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from worker.db.models import Business, Debtor, Invoice, OutboundInvoice
from worker.domain.grouping import Batch, DebtorInvoice, group_due
from worker.domain.next_action import bring_forward, next_action_at, segment_look_again, thank_you_at
from worker.domain.status import InvoiceStatus
from worker.domain.thanks import THANK_YOU
from worker.usecases.decision_batch import (
    chunks,
    events_for,
    facts_for,
    histories_for,
    last_payment,
    latest_invoices,
    policies_for,
)
from worker.usecases.decision_inputs import sending_window

_COLUMNS = (Invoice.id, Invoice.business_id, Invoice.debtor_id, Invoice.status, Invoice.due_date,
            Invoice.issue_date, Invoice.amount_due, Invoice.amount_paid)


@dataclass(frozen=True)
class Decided:
    """What is due now among the batch (and its debtors' other open invoices), and each asked invoice's moment."""

    groups: Batch
    business_of: dict[int, int]  # debtor id -> business id
    thank: tuple[int, ...]  # paid invoices to thank now
    next_at: dict[int, datetime | None]  # asked invoice id -> its next_action_at


def decide_batch(session: Session, invoice_ids: Collection[int], now: datetime, group: bool = True) -> Decided:
    """Load the asked invoices, every open invoice of their debtors (grouping is per debtor), their facts and
    policies, and decide (without `group`, only each asked invoice's moment: nothing is grouped to record)."""
    asked = set(invoice_ids)
    debtor_ids: set[int] = set()
    for chunk in chunks(asked):
        debtor_ids.update(session.scalars(select(Invoice.debtor_id).where(Invoice.id.in_(chunk))))
    invoices: dict[int, Invoice] = {}
    for chunk in chunks(debtor_ids):
        invoices.update((i.id, i) for i in session.scalars(select(Invoice).options(load_only(*_COLUMNS)).where(
            Invoice.debtor_id.in_(chunk), Invoice.status == InvoiceStatus.OPEN.value)))
    for chunk in chunks(asked):
        invoices.update((i.id, i) for i in session.scalars(select(Invoice).options(load_only(*_COLUMNS)).where(
            Invoice.id.in_(chunk), Invoice.status == InvoiceStatus.PAID.value)))
    debtors: dict[int, Debtor] = {}
    for chunk in chunks(debtor_ids):
        debtors.update((d.id, d) for d in session.scalars(select(Debtor).where(Debtor.id.in_(chunk))))
    businesses = {b.id: b for b in session.scalars(select(Business).where(
        Business.id.in_({d.business_id for d in debtors.values()})))}
    windows = {b.id: sending_window(b, now) for b in businesses.values()}
    today = {d.id: windows[d.business_id].local_date(now) for d in debtors.values()}
    open_ = [i for i in invoices.values() if i.status == InvoiceStatus.OPEN.value and i.due_date is not None]
    paid = [i for i in invoices.values() if i.status == InvoiceStatus.PAID.value and i.id in asked
            and i.due_date is not None]
    events = events_for(session, [i.id for i in open_ + paid])
    facts = facts_for(session, open_, debtors, events)
    histories = histories_for(session, today)
    latest = latest_invoices(session, debtor_ids)
    by_business: dict[int, list[Debtor]] = defaultdict(list)
    for debtor in debtors.values():
        by_business[debtor.business_id].append(debtor)
    policies = {}
    for business_id, members in by_business.items():
        window = windows[business_id]
        policies.update(policies_for(businesses[business_id], members, window, window.local_date(now), histories,
                                     latest))
    items = [DebtorInvoice(i.debtor_id, i.id, facts[i.id], policies[i.debtor_id]) for i in open_]
    look_again: dict[int, date | None] = {}
    next_at: dict[int, datetime | None] = dict.fromkeys(asked)
    for item in items:
        if item.invoice_id in asked:
            if item.debtor_id not in look_again:
                look_again[item.debtor_id] = segment_look_again(histories.get(item.debtor_id, []),
                                                                today[item.debtor_id])
            next_at[item.invoice_id] = bring_forward(next_action_at(item.facts, now, item.policy),
                                                     look_again[item.debtor_id], now, item.policy.window)
    thanked: set[int] = set()
    for chunk in chunks(i.id for i in paid):
        thanked.update(session.scalars(select(OutboundInvoice.invoice_id).where(
            OutboundInvoice.invoice_id.in_(chunk), OutboundInvoice.step == THANK_YOU.name)))
    thank = []
    for invoice in paid:
        payment = last_payment(events.get(invoice.id))
        business = businesses[invoice.business_id]
        assert invoice.due_date is not None
        moment = None if payment is None else thank_you_at(
            invoice.due_date, payment.paid_on, payment.at, invoice.id in thanked,
            bool(business.settings.get("thank_you", True)), now, windows[business.id])
        next_at[invoice.id] = moment
        if moment is not None and moment <= now:
            thank.append(invoice.id)
    groups = group_due(items, now) if group else Batch((), (), ())
    return Decided(groups, {d.id: d.business_id for d in debtors.values()}, tuple(sorted(thank)), next_at)
