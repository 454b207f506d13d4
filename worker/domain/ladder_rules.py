"""What makes a ladder a business sets acceptable, and its steps to and from stored data.

The rules keep a custom ladder within what the built-in ones guarantee: nothing after the hand-off, dates that
only move forward, for consumers the 14-day letter (14-dagenbrief, BE free first reminder) before any letter
that claims costs, with every later step waiting for its term; one last reminder and one final notice at most.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from worker.domain.step import Step

DEBTOR_KINDS = ("business", "consumer")
LAST_LETTERS = ("last_reminder", "final_notice")  # each the "last" letter of its kind: once per ladder
# Letters a ladder step may name besides a business's own uploads: the built-ins that are rungs of a ladder (a
# payment plan's or a thank-you letter is sent by its own use case, never as a step).
LADDER_TEMPLATES = ("arrival_check", "courtesy", "reminder", "firm_reminder", "fourteen_day_letter",
                    "last_reminder", "final_notice")
STATUTORY_TEMPLATE = "fourteen_day_letter"


@dataclass(frozen=True)
class LadderProblem:
    """One rule a ladder breaks: `field` names the step's field (`steps[2].offset_days`), `message` says why."""

    field: str
    message: str


def step_data(step: Step) -> dict[str, Any]:
    """A step as stored and shown by the API."""
    return {"name": step.name, "offset_days": step.offset_days, "anchor": step.anchor, "template": step.template,
            "channel": step.channel, "tone": step.tone, "recipients": step.recipients,
            "deadline_days": step.deadline_days, "statutory_term": step.statutory_term, "claims": step.claims}


def step_from_data(data: Mapping[str, Any]) -> Step:
    """The step from its stored form (see `step_data`)."""
    return Step(name=data["name"], offset_days=int(data["offset_days"]), template=data.get("template"),
                to_general_address=data.get("recipients") == "general_with_contact_cc",
                channel=data.get("channel", "email"), tone=data.get("tone", "neutral"),
                anchor=data.get("anchor", "due"), deadline_days=data.get("deadline_days"),
                statutory_term=bool(data.get("statutory_term")), claims=bool(data.get("claims")))


def ladder_problems(steps: Sequence[Step], consumer: bool, templates: Collection[str]) -> list[LadderProblem]:
    """Every rule `steps` break (empty: the ladder is acceptable). `templates`: the letter names that exist for
    the business (built-in and its own uploads)."""
    problems: list[LadderProblem] = []

    def refuse(index: int, name: str, message: str) -> None:
        problems.append(LadderProblem(f"steps[{index}].{name}", message))

    if not steps:
        return [LadderProblem("steps", "a ladder needs at least one step")]
    seen: set[str] = set()
    last_offset: dict[str, int] = {}
    anchored_previous = False
    handoff_at: int | None = None
    statutory_at: int | None = None
    for index, step in enumerate(steps):
        label = f"step {index + 1} ({step.name})"
        if step.name in seen:
            refuse(index, "name", f"{label}: another step has this name; every step needs its own name")
        seen.add(step.name)
        if handoff_at is not None:
            refuse(index, "template", f"{label} comes after the hand-off (step {handoff_at + 1}); the hand-off "
                   "must be the last step")
        if step.template is None:
            handoff_at = index
            if step.statutory_term or step.claims:
                refuse(index, "template", f"{label}: the hand-off sends no letter, so it cannot be a 14-day "
                       "letter or claim costs; give it a template or remove those flags")
        elif step.template not in templates:
            refuse(index, "template", f"{label}: there is no letter template {step.template!r}; use one of "
                   f"{', '.join(sorted(templates))} or upload it first")
        # Dates only move forward: the steps on one anchor in increasing order, the invoice date's before the
        # due date's, and once a step counts from the previous one every later step does too (else it could
        # fall before a step it follows).
        if step.anchor == "previous":
            anchored_previous = True
            if step.offset_days < 1:
                refuse(index, "offset_days", f"{label}: a step counted from the previous one comes at least 1 "
                       "day after it")
        elif anchored_previous:
            refuse(index, "anchor", f"{label}: after a step counted from the previous one, every later step "
                   "must be counted from the previous one too (anchor 'previous')")
        elif step.anchor == "issue" and "due" in last_offset:
            refuse(index, "anchor", f"{label}: steps counted from the invoice date come before those counted "
                   "from the due date")
        elif step.anchor in last_offset and step.offset_days <= last_offset[step.anchor]:
            refuse(index, "offset_days", f"{label}: offset {step.offset_days} is not after the previous step's "
                   f"{last_offset[step.anchor]}; offsets must increase")
        if step.anchor != "previous":
            last_offset[step.anchor] = step.offset_days
        if step.statutory_term:
            if step.template != STATUTORY_TEMPLATE:
                refuse(index, "template", f"{label}: a step with statutory_term sends the "
                       f"{STATUTORY_TEMPLATE!r} letter, which states the term and the costs")
            if step.anchor == "issue" or (step.anchor == "due" and step.offset_days < 1):
                refuse(index, "offset_days", f"{label}: the 14-day letter may only go once the invoice is "
                       "overdue (after the due date)")
            if statutory_at is None:
                statutory_at = index
        elif step.template == STATUTORY_TEMPLATE:
            refuse(index, "statutory_term", f"{label}: the {STATUTORY_TEMPLATE!r} letter starts the legal term; "
                   "set statutory_term to true")
    for name in LAST_LETTERS:
        uses = [i for i, s in enumerate(steps) if s.template == name]
        for index in uses[1:]:
            refuse(index, "template", f"step {index + 1} ({steps[index].name}): a ladder has at most one "
                   f"{name.replace('_', ' ')} (step {uses[0] + 1} is one)")
    if consumer:
        _consumer_problems(steps, statutory_at, refuse)
    return problems


def _consumer_problems(steps: Sequence[Step], statutory_at: int | None, refuse: Any) -> None:
    """Costs on a consumer only after a 14-day letter whose term has run (see ../shared/domain.md)."""
    for index, step in enumerate(steps):
        label = f"step {index + 1} ({step.name})"
        if step.claims and (statutory_at is None or index < statutory_at):
            refuse(index, "claims", f"{label} claims costs from a consumer before the 14-day letter "
                   "(a step with statutory_term); send that letter first or set claims to false")
        if statutory_at is not None and index > statutory_at and step.anchor != "previous":
            refuse(index, "anchor", f"{label} could fall within the 14-day letter's term; steps after it must "
                   "be counted from the previous one (anchor 'previous')")
