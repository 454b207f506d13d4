"""When the tick must look at an invoice again: the next moment time alone can change its decision.

The tick selects invoices whose `next_action_at` has come. Earlier than needed is always safe (the tick decides
again and moves the moment on); later is a bug (a step would be missed). None means nothing happens to the
invoice by time alone: only a changed fact (a payment, a reply, a new outbox row...) can wake it.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from worker.domain.facts import InvoiceFacts
from worker.domain.holds import OnPlan, Paused, Running, hold_for
from worker.domain.ladder import StepDue, decide
from worker.domain.payment_plan import PlanCompleted
from worker.domain.policy import LadderPolicy
from worker.domain.schedule import plan_steps
from worker.domain.segments import MIN_HISTORY, PaymentRecord, assess
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.thanks import thank_you_due

THANK_WITHIN = timedelta(days=14)  # a thank-you weeks later reads odd; older payments are not thanked
SEGMENT_HORIZON_DAYS = 31  # how far ahead a debtor's segment change is looked for; beyond it, wake up and look again


def next_action_at(facts: InvoiceFacts, now: datetime, policy: LadderPolicy) -> datetime | None:
    """The next moment the ladder decision for this open invoice can change by time alone (now: a step is due)."""
    if facts.status is not InvoiceStatus.OPEN or facts.open_amount <= 0:
        return None
    decision = decide(facts, now, policy)
    if isinstance(decision, StepDue):
        return now
    today = policy.window.local_date(now)
    hold = hold_for(facts, today, policy)
    resume = hold.resume_on if isinstance(hold, Running) else None
    if isinstance(hold, Paused):  # what follows the pause may be a hand-off, which waits for no sending window
        return _after_gap(facts, policy, policy.window.start_of(hold.until))
    if decision.next_at is not None:
        step = decision.next_step
        if step is not None and step.template is None:  # a hand-off waits for the gap, not for the window
            on = next((p.on for p in plan_steps(facts, policy, resume) if p.step == step and p.on), None)
            ungated = _after_gap(facts, policy, policy.window.start_of(on) if on else now)
            if ungated > now:
                return min(decision.next_at, ungated)
        return decision.next_at
    if isinstance(hold, OnPlan):
        if isinstance(hold.state, PlanCompleted):
            return None  # waits for the last payment to be booked: a fact
        # The instalment's reminder went out: the plan breaks (and the ladder resumes) the day after its grace.
        breaks_on = hold.state.instalment.due_date + timedelta(days=policy.plan_grace_days + 1)
        return policy.window.start_of(max(breaks_on, today + timedelta(days=1)))
    planned = plan_steps(facts, policy, resume)
    sent = [i for i, p in enumerate(planned) if p.sent]
    remaining = [p for p in planned[max(sent) + 1 if sent else 0:] if p.on is not None]
    if not remaining:
        return None  # every step of the ladder has been taken
    # Steps have passed but none may go yet (only pre-due ones, or a hand-off waiting for a letter): the next
    # planned day, or tomorrow, whichever comes first, decides again.
    later = [p.on for p in remaining if p.on is not None and p.on > today]
    return policy.window.start_of(min([*later, today + timedelta(days=1)]))


def _after_gap(facts: InvoiceFacts, policy: LadderPolicy, not_before: datetime) -> datetime:
    """`not_before`, or the end of the minimum gap after our last message to the debtor if later."""
    last = max((t for t in (facts.last_message_at, facts.debtor_last_message_at) if t is not None), default=None)
    return not_before if last is None else max(not_before, last + policy.min_gap)


def segment_look_again(history: Sequence[PaymentRecord], today: date) -> date | None:
    """The day the debtor's segment (and so its ladder) may differ from today's: open invoices grow later day by
    day. The first day within the horizon on which it does, else the horizon (to look further then); None when
    time cannot change it (nothing unpaid: every record's lateness is fixed)."""
    unpaid = [r for r in history if r.paid_on is None]
    horizon = today + timedelta(days=SEGMENT_HORIZON_DAYS)
    if not unpaid or len(history) < MIN_HISTORY:  # too few invoices: new, whatever the day
        return None
    current = assess(history, today).segment
    if sum(r.paid_on is not None or r.due_date < horizon for r in history) < MIN_HISTORY:
        return horizon  # too few due by then to leave "new": look again then
    day = today + timedelta(days=1)
    while day <= horizon:
        if assess(history, day).segment is not current:
            return day
        day += timedelta(days=1)
    return horizon


def bring_forward(moment: datetime | None, look_again: date | None, now: datetime,
                  window: SendingWindow) -> datetime | None:
    """`moment`, or the start of `look_again` (see `segment_look_again`) when that comes first."""
    if moment is None or moment <= now or look_again is None:
        return moment
    return min(moment, window.start_of(look_again))


def thank_you_at(due_date: date, paid_on: date, payment_at: datetime, thanked: bool, enabled: bool,
                 now: datetime, window: SendingWindow) -> datetime | None:
    """When a paid invoice is to be thanked for: the next opening of the sending window while the payment is
    less than `THANK_WITHIN` old; None when it is not to be thanked (late, thanked, switched off, too old)."""
    if not thank_you_due(due_date, paid_on, thanked, enabled) or now - payment_at > THANK_WITHIN:
        return None
    moment = window.next_opening(now)
    return moment if moment - payment_at <= THANK_WITHIN else None
