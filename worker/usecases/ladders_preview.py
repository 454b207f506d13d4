"""The dated schedule a ladder gives a sample invoice: the tick's own decision (`decide`, `next_action_at`) run
forward in time on facts that grow with each step sent, so the preview cannot disagree with what the tick does."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from worker.db.models import Business
from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import StepDue, decide
from worker.domain.next_action import next_action_at
from worker.domain.segments import Segment
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep, Step
from worker.usecases.decision_batch import LadderKey, own_ladders, tuned_policy
from worker.usecases.decision_inputs import sending_window

HORIZON = timedelta(days=2 * 366)  # no ladder runs longer; a preview stops here whatever happens
MAX_DECISIONS = 500


@dataclass(frozen=True)
class SampleInvoice:
    """What the preview is about: an invoice and its debtor as the tick would see them on the day it arrives."""

    invoice_date: date
    due_date: date
    amount: Decimal
    consumer: bool = False
    country: str = "NL"
    segment: Segment = Segment.NEW
    email_consent: bool = False  # a consumer without it gets the 14-day letter by post


@dataclass(frozen=True)
class Scheduled:
    """One step as the tick would take it: when, how, asking for how much, by when."""

    step: Step
    at: datetime
    on: date
    channel: str
    amount: Decimal | None
    deadline: date | None


def preview(session: Session, business: Business, sample: SampleInvoice,
            steps: tuple[Step, ...] | None = None) -> tuple[LadderKey, list[Scheduled]]:
    """The ladder the sample's debtor is on (the business's own, `steps` if given, else built in) and its dated
    schedule, from the invoice date until the hand-off or the last step."""
    start_day = min(sample.invoice_date, sample.due_date)
    window = sending_window(business, datetime.combine(start_day, datetime.min.time()))
    key = LadderKey(sample.segment, sample.consumer and bool(business.settings.get("charge_costs", True)),
                    sample.country)
    own = own_ladders(session, business.id)
    if steps is not None:
        own[(key.segment.value, key.debtor_kind)] = steps
    policy = tuned_policy(business, key, window, own)
    facts = InvoiceFacts(status=InvoiceStatus.OPEN, due_date=sample.due_date, open_amount=sample.amount,
                         sent_steps=frozenset(), last_message_at=None, issue_date=sample.invoice_date,
                         term_letter_by_post=sample.consumer and not sample.email_consent)
    now = window.start_of(start_day)
    end = now + HORIZON
    schedule: list[Scheduled] = []
    for _ in range(MAX_DECISIONS):
        decision = decide(facts, now, policy)
        if isinstance(decision, StepDue):
            schedule.append(Scheduled(decision.step, now, window.local_date(now), decision.channel,
                                      decision.amount, decision.deadline))
            if decision.step.template is None:
                break  # handed to a person: the ladder ends
            facts = replace(facts, sent_steps=facts.sent_steps | {decision.step.name},
                            sent_history=(*facts.sent_history, SentStep(decision.step.name, now)),
                            last_message_at=now, debtor_last_message_at=now)
            continue
        moment = next_action_at(facts, now, policy)
        if moment is None or moment > end:
            break
        now = moment if moment > now else now + timedelta(hours=1)
    return key, schedule
