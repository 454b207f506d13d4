"""The business's ladders as data: read them, replace one per segment and kind of debtor, preview a schedule."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.db.models import Business
from worker.domain.ladder_rules import LadderProblem, step_data
from worker.domain.segments import Segment
from worker.domain.step import Step
from worker.usecases.api_keys import find_key
from worker.usecases.ladders import LadderRejected, LadderView, check_ladder, ladders_of, set_ladder
from worker.usecases.ladders_preview import SampleInvoice, preview

router = APIRouter(prefix="/ladders", tags=["ladders"])
DebtorKind = Literal["business", "consumer"]


class StepIn(BaseModel):
    """One rung: when (offset from its anchor), which letter, how, to whom, in what tone."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Unique in the ladder; an invoice that took "
                      "a step of this name never gets it again, also after a change.")
    offset_days: int = Field(ge=-90, le=365, description="Days after the anchor (negative: before the due date).")
    anchor: Literal["due", "issue", "previous"] = Field(
        "due", description="due: the due date; issue: the invoice date; previous: the day the previous step went "
        "out, or the end of the deadline it stated.")
    template: str | None = Field(None, min_length=1, max_length=80, description="The letter (built-in or one you "
                                 "uploaded); null: hand the invoice to a person (must be the last step).")
    channel: Literal["email", "letter"] = Field("email", description="letter: a PDF to print and post.")
    tone: Literal["friendly", "neutral", "firm", "stern"] = "neutral"
    recipients: Literal["contact", "general_with_contact_cc"] = Field(
        "contact", description="general_with_contact_cc: the company's general address, the contact in CC.")
    deadline_days: int | None = Field(None, ge=1, le=60, description="The letter gives the debtor this many days.")
    statutory_term: bool = Field(False, description="The 14-day letter (NL 14-dagenbrief, BE free first "
                                 "reminder): its term follows the law of the debtor's country.")
    claims: bool = Field(False, description="The letter claims the interest and costs announced earlier.")

    def step(self) -> Step:
        return Step(self.name, self.offset_days, self.template, self.recipients == "general_with_contact_cc",
                    self.channel, self.tone, self.anchor, self.deadline_days, self.statutory_term, self.claims)


class StepOut(StepIn):
    pass


EXAMPLE_STEPS = [
    {"name": "courtesy", "offset_days": -3, "template": "courtesy", "tone": "friendly"},
    {"name": "reminder", "offset_days": 3, "template": "reminder", "tone": "friendly"},
    {"name": "firm_reminder", "offset_days": 17, "template": "firm_reminder", "tone": "firm"},
    {"name": "last_reminder", "offset_days": 31, "template": "last_reminder", "tone": "firm",
     "recipients": "general_with_contact_cc", "claims": True},
    {"name": "handoff", "offset_days": 10, "anchor": "previous", "template": None},
]
CONSUMER_EXAMPLE_STEPS = [
    {"name": "reminder", "offset_days": 2, "template": "reminder", "tone": "friendly"},
    {"name": "fourteen_day_letter", "offset_days": 16, "template": "fourteen_day_letter", "tone": "firm",
     "statutory_term": True},
    {"name": "final_notice", "offset_days": 1, "anchor": "previous", "template": "final_notice", "tone": "stern",
     "recipients": "general_with_contact_cc", "deadline_days": 7, "claims": True},
    {"name": "handoff", "offset_days": 1, "anchor": "previous", "template": None},
]


class LadderIn(BaseModel):
    segment: Segment = Field(description="The payment behaviour whose debtors get this ladder.")
    debtor_kind: DebtorKind = Field(description="consumer: debtors who are consumers, when you charge costs (they "
                                    "get the 14-day letter before any cost); business: every other debtor.")
    steps: list[StepIn] | None = Field(min_length=1, max_length=20, description="In order; null puts the "
                                       "built-in ladder back.")

    model_config = {"json_schema_extra": {"examples": [
        {"segment": "on_time", "debtor_kind": "business", "steps": EXAMPLE_STEPS}]}}


class LadderOut(BaseModel):
    segment: Segment
    debtor_kind: DebtorKind
    own: bool = Field(description="false: the built-in ladder (you set none for this segment and kind).")
    updated_at: datetime | None
    updated_by: str | None = Field(description="The label of the API key that set it.")
    steps: list[StepOut]


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # public holidays and calendars are known in between


class PreviewIn(BaseModel):
    invoice_date: date = Field(ge=EARLIEST, le=LATEST)
    due_date: date = Field(ge=EARLIEST, le=LATEST)
    amount: Decimal = Field(gt=0, le=Decimal("1e9"), max_digits=14, decimal_places=2)
    consumer: bool = False
    country: Literal["NL", "BE"] = "NL"
    segment: Segment = Segment.NEW
    email_consent: bool = Field(False, description="A consumer who agreed to notices by e-mail gets the 14-day "
                                "letter by e-mail; otherwise by post.")
    steps: list[StepIn] | None = Field(None, min_length=1, max_length=20, description="Preview these steps "
                                       "instead of the stored ladder (checked as PUT checks them).")

    @model_validator(mode="after")
    def _due_after_issue(self) -> "PreviewIn":
        if self.due_date < self.invoice_date:
            raise ValueError("due_date: the due date cannot be before the invoice date")
        return self

    model_config = {"json_schema_extra": {"examples": [
        {"invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "1210.00", "consumer": True,
         "country": "NL"}]}}


class ScheduledOut(BaseModel):
    step: str
    template: str | None = Field(description="null: the hand-off to a person.")
    at: datetime = Field(description="When the tick would send it (within your sending window).")
    on: date
    channel: str
    tone: str
    recipients: str
    amount: Decimal | None
    deadline: date | None = Field(description="The last day the letter gives the debtor, if it states one.")


class PreviewOut(BaseModel):
    segment: Segment
    debtor_kind: DebtorKind
    schedule: list[ScheduledOut]


def _out(view: LadderView) -> LadderOut:
    return LadderOut(segment=Segment(view.segment), debtor_kind=view.debtor_kind, own=view.own,  # type: ignore[arg-type]
                     updated_at=view.updated_at, updated_by=view.updated_by,
                     steps=[StepOut.model_validate(step_data(s)) for s in view.steps])


def _refused(problems: list[LadderProblem]) -> RequestValidationError:
    """The same 422 shape as any other invalid field, `loc` naming the step and its field."""
    def loc(field: str) -> tuple[str | int, ...]:
        return ("body", *(int(p) if p.isdigit() else p for p in re.findall(r"[a-z_]+|\d+", field)))

    return RequestValidationError([{"type": "ladder_rule", "loc": loc(p.field), "msg": p.message, "input": None}
                                   for p in problems])


def _who(request: Request, session: Session) -> str:
    key = find_key(session, request.headers.get("X-API-Key", ""))  # authenticated already by current_business
    return key.label if key is not None else "api"


@router.get("", response_model=list[LadderOut], summary="The ladders per segment and kind of debtor")
def get_ladders(segment: Segment | None = Query(None, description="Only this segment's ladders."),
                debtor_kind: DebtorKind | None = Query(None, description="Only business or consumer ladders."),
                business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Every ladder of your business: for each segment (new, on_time, occasionally_late, chronically_late) and
    kind of debtor (business, consumer), the steps you set (`own`) or else the built-in ones."""
    return [_out(v) for v in ladders_of(session, business) if (segment is None or v.segment == segment.value)
            and (debtor_kind is None or v.debtor_kind == debtor_kind)]


@router.put("", response_model=LadderOut, summary="Replace one ladder (or put the built-in one back)")
def put_ladder(request: Request, body: Annotated[LadderIn, Body(openapi_examples={
        "business debtors": {"summary": "a later, gentler ladder for on-time payers",
                             "value": {"segment": "on_time", "debtor_kind": "business", "steps": EXAMPLE_STEPS}},
        "consumers": {"summary": "consumers: the 14-dagenbrief before any cost",
                      "value": {"segment": "new", "debtor_kind": "consumer", "steps": CONSUMER_EXAMPLE_STEPS}},
        "built-in": {"summary": "back to the built-in ladder",
                     "value": {"segment": "new", "debtor_kind": "consumer", "steps": None}}})],
               business: Business = Depends(current_business), session: Session = TRANSACTION,
               now: datetime = Depends(request_now)):
    """Set the steps of the ladder for one segment and kind of debtor. Refused (422, naming the step and field)
    when a step follows the hand-off, offsets do not increase, a consumer ladder claims costs before its 14-day
    letter or lets a step fall within that letter's term, the ladder has two last reminders (or final notices),
    or a template does not exist. Open invoices on this ladder go on from their next step (a step they took is
    never sent again) and each gets a `LadderChanged` event on its timeline with who changed it."""
    try:
        view = set_ladder(session, business, body.segment, body.debtor_kind,
                          tuple(s.step() for s in body.steps) if body.steps is not None else None,
                          who=_who(request, session), now=now)
    except LadderRejected as exc:
        raise _refused(exc.problems) from exc
    return _out(view)


@router.post("/preview", response_model=PreviewOut, summary="The dated schedule of a ladder for a sample invoice")
def preview_ladder(body: Annotated[PreviewIn, Body(openapi_examples={
        "consumer": {"summary": "a Dutch consumer, new debtor",
                     "value": {"invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "1210.00",
                               "consumer": True, "country": "NL"}},
        "draft ladder": {"summary": "try steps before storing them",
                         "value": {"invoice_date": "2027-01-04", "due_date": "2027-02-03", "amount": "500.00",
                                   "segment": "on_time", "steps": EXAMPLE_STEPS}}})],
                   business: Business = Depends(current_business), session: Session = TRANSACTION):
    """When each step would go out for this invoice (in your sending window, with your minimum gap), by which
    channel, asking for how much and by when: the tick's own decision run forward day by day, assuming nobody
    pays or answers. With `steps`, a draft ladder is previewed (checked as PUT checks it) without storing it."""
    sample = SampleInvoice(body.invoice_date, body.due_date, body.amount, body.consumer, body.country,
                           body.segment, body.email_consent)
    steps = tuple(s.step() for s in body.steps) if body.steps is not None else None
    kind = "consumer" if body.consumer and business.settings.get("charge_costs", True) else "business"
    if steps is not None:
        try:
            check_ladder(session, business, kind, steps)
        except LadderRejected as exc:
            raise _refused(exc.problems) from exc
    key, schedule = preview(session, business, sample, steps)
    return PreviewOut(segment=key.segment, debtor_kind=key.debtor_kind,  # type: ignore[arg-type]
                      schedule=[ScheduledOut(step=s.step.name, template=s.step.template, at=s.at, on=s.on,
                                             channel=s.channel, tone=s.step.tone, recipients=s.step.recipients,
                                             amount=s.amount, deadline=s.deadline) for s in schedule])
