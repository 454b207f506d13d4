"""Built-in ladders per customer segment and regime (business; NL or BE consumer), following good practice.

Step names are the letter template names: arrival_check (a few days after the invoice: did it arrive?),
courtesy, reminder, firm_reminder, fourteen_day_letter (NL 14-dagenbrief / BE free first reminder, stating
the exact costs and the 14-day term), last_reminder (to a company's general address, contact in CC),
final_notice (every fact and contact so far, with a deadline before hand-off), then hand-off to a person.
Only the last two claim the interest and costs the earlier letters announced.
"""

from dataclasses import replace
from datetime import timedelta

from worker.domain.policy import LadderPolicy
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.step import Step, Tone

FINAL_DEADLINE_DAYS = 7


def _ladder(courtesy: int, reminder: int, firm: int, last: int, final: int, tones: tuple[Tone, Tone, Tone, Tone],
            check: bool = False) -> tuple[Step, ...]:
    friendly, after_due, firm_tone, last_tone = tones
    steps = [
        Step("courtesy", courtesy, "courtesy", tone=friendly),
        Step("reminder", reminder, "reminder", tone=after_due),
        Step("firm_reminder", firm, "firm_reminder", tone=firm_tone),
        Step("last_reminder", last, "last_reminder", to_general_address=True, tone=last_tone, claims=True),
        Step("final_notice", final, "final_notice", to_general_address=True, tone="stern",
             deadline_days=FINAL_DEADLINE_DAYS, claims=True),
        Step("handoff", 1, None, anchor="previous"),  # the day after the final notice's deadline
    ]
    if check:
        steps.insert(0, Step("arrival_check", 3, "arrival_check", tone="friendly", anchor="issue"))
    return tuple(steps)


# Days relative to the due date. Trusted payers get more room and a lighter tone; chronic late payers
# hear from us sooner and more firmly. New debtors also get a check that the invoice arrived.
BUSINESS_LADDERS: dict[Segment, tuple[Step, ...]] = {
    Segment.NEW: _ladder(-3, 2, 14, 28, 35, ("friendly", "friendly", "firm", "firm"), check=True),
    Segment.ON_TIME: _ladder(-2, 5, 19, 33, 40, ("friendly", "friendly", "neutral", "firm")),
    Segment.OCCASIONALLY_LATE: _ladder(-3, 1, 14, 28, 35, ("friendly", "neutral", "firm", "firm")),
    Segment.CHRONICALLY_LATE: _ladder(-5, 1, 8, 17, 24, ("neutral", "firm", "firm", "stern")),
}


def consumer_ladder(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """A consumer's firm notice is the 14-day letter; later steps wait until its term has passed."""
    out: list[Step] = []
    after_term = False
    for step in steps:
        if step.name == "firm_reminder":
            out.append(Step("fourteen_day_letter", step.offset_days, "fourteen_day_letter", tone="firm",
                            statutory_term=True))
            after_term = True
        elif after_term and step.name == "last_reminder":
            out.append(replace(step, offset_days=1, anchor="previous"))  # the day after the 14-day term
        elif after_term and step.name == "final_notice":
            out.append(replace(step, offset_days=7, anchor="previous"))
        else:
            out.append(step)
    return tuple(out)


def belgian_consumer_ladder(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Book XIX CEL: the first reminder after the due date is free and opens the 14-day term; nothing may be
    charged before the term has run, so the formal notice goes and the next letter waits for the term."""
    out: list[Step] = []
    after_term = False
    for step in steps:
        if step.name == "reminder":
            out.append(Step("fourteen_day_letter", step.offset_days, "fourteen_day_letter", tone=step.tone,
                            statutory_term=True))
            after_term = True
        elif step.name == "firm_reminder":
            continue
        elif after_term and step.name == "last_reminder":
            out.append(replace(step, offset_days=1, anchor="previous"))
        elif after_term and step.name == "final_notice":
            out.append(replace(step, offset_days=7, anchor="previous"))
        else:
            out.append(step)
    return tuple(out)


CONSUMER_LADDERS: dict[Segment, tuple[Step, ...]] = {s: consumer_ladder(v) for s, v in BUSINESS_LADDERS.items()}
BE_CONSUMER_LADDERS: dict[Segment, tuple[Step, ...]] = {
    s: belgian_consumer_ladder(v) for s, v in BUSINESS_LADDERS.items()}


def ladder_for(segment: Segment, consumer: bool, country: str = "NL") -> tuple[Step, ...]:
    """`consumer`: the debtor gets a term letter before any cost (a consumer whose business charges costs)."""
    if not consumer:
        return BUSINESS_LADDERS[segment]
    return (BE_CONSUMER_LADDERS if country == "BE" else CONSUMER_LADDERS)[segment]


def policy_for(segment: Segment, consumer: bool, window: SendingWindow, country: str = "NL",
               min_gap: timedelta = timedelta(days=5), steps: tuple[Step, ...] | None = None,
               promise_grace_days: int = 3, plan_grace_days: int = 3) -> LadderPolicy:
    """The policy for one debtor: the segment's ladder (`steps`: the business's own, else the built-in one),
    steps taken in order (none skipped), with the business's minimum gap and grace periods."""
    return LadderPolicy(steps=steps if steps is not None else ladder_for(segment, consumer, country),
                        window=window, min_gap=min_gap, country=country, skip_missed=False,
                        promise_grace_days=promise_grace_days, plan_grace_days=plan_grace_days)
