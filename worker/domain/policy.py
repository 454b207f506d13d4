"""The ladder plus the rules around it that a business may tune."""

from dataclasses import dataclass
from datetime import timedelta

from worker.domain.sending_window import SendingWindow
from worker.domain.step import Step

DEFAULT_LADDER: tuple[Step, ...] = (
    Step("courtesy", -3, "courtesy", tone="friendly"),
    Step("reminder", 1, "reminder", tone="friendly"),
    Step("firm_reminder", 14, "firm_reminder", tone="firm"),
    Step("last_reminder", 28, "last_reminder", to_general_address=True, tone="firm"),
    Step("handoff", 35, None),
)


@dataclass(frozen=True)
class LadderPolicy:
    """`skip_missed`: a late invoice starts at the highest step already due (True), or takes the
    steps after the due date in order, one per minimum gap (False: no step is left out)."""

    steps: tuple[Step, ...] = DEFAULT_LADDER
    window: SendingWindow = SendingWindow()
    min_gap: timedelta = timedelta(days=5)  # between two messages to one debtor
    country: str = "NL"  # whose law counts the 14-day term
    promise_grace_days: int = 3  # a promise pauses until the promised date plus this
    plan_grace_days: int = 3  # an instalment this late breaks the plan
    instalment_notice_days: int = 3  # remind this many days before an instalment falls due
    skip_missed: bool = True


DEFAULT_POLICY = LadderPolicy()
