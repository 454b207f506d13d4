"""The business's own settings: sending identity, letterhead details, country rules, thank-you, payment link,
sending window, minimum gap and grace periods."""

from typing import Any, Literal
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, EmailStr, Field
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business
from worker.db.models import Business
from worker.domain.sending_window import DAY_NAMES
from worker.usecases.businesses import SenderListRejected, checked_senders

router = APIRouter(prefix="/business", tags=["business"])
SETTING_KEYS = ("address", "phone", "website", "country", "thank_you", "payment_link_pattern", "charge_costs",
                "reported_payment_grace_days", "trust_authenticated_remittance", "b2b_costs", "sending_opens",
                "sending_closes", "sending_days", "min_gap_days", "promise_grace_days", "plan_grace_days")
# Of these a null puts the default back (the key is removed), rather than storing a null the tick would read.
DEFAULTED_KEYS = ("sending_opens", "sending_closes", "sending_days", "min_gap_days", "promise_grace_days",
                  "plan_grace_days")
HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
SendingDay = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class BusinessOut(BaseModel):
    id: int
    name: str
    from_address: str
    from_name: str
    iban: str | None
    language: str
    timezone: str
    sender_allowlist: list[str]
    ingest_address: str | None
    settings: dict[str, Any]


class BusinessIn(BaseModel):
    from_address: EmailStr | None = None
    from_name: str | None = None
    iban: str | None = Field(None, description="Printed on letters and in the SEPA QR code.")
    language: str | None = Field(None, pattern="^(nl|en|fr|de)$",
                                 description="Language of the notices to you, and of letters to debtors whose "
                                 "language is unknown.")
    timezone: str | None = Field(None, description="IANA zone of the sending window, e.g. Europe/Amsterdam.")
    sender_allowlist: list[str] | None = Field(None, description="Addresses or @domains whose mail are invoices.")
    address: str | None = Field(None, description="Letterhead address.")
    phone: str | None = None
    website: str | None = None
    country: str | None = Field(None, pattern="^(NL|BE)$", description="Whose holidays and collection law apply.")
    thank_you: bool | None = Field(None, description="Thank customers who pay on time (default on).")
    charge_costs: bool | None = Field(None, description="Charge statutory interest and collection costs (default "
                                      "on): consumers then get the 14-dagenbrief (NL) or free first reminder (BE) "
                                      "before any cost. Off: no letter mentions costs or interest.")
    b2b_costs: Literal["compensation", "wik"] | None = Field(
        None, description="Costs claimed from Dutch business debtors: compensation (EUR 40 per invoice, art. 6:96 "
        "lid 4 BW; default) or wik (the WIK staffel, where your contract allows it).")
    reported_payment_grace_days: int | None = Field(
        None, ge=0, le=30, description="Business days a payment the customer *reports* holds the reminders before "
        "they go on (default 5); the money itself is booked only by you or from a bank statement.")
    trust_authenticated_remittance: bool | None = Field(
        None, description="Book a remittance advice as a payment when its sender is authenticated by your mail "
        "provider (DMARC) and is the customer's known contact or domain (default off: it is only a report).")
    payment_link_pattern: str | None = Field(
        None, description="e.g. https://pay.example/{reference}?amount={amount} (fields: reference, amount, "
        "currency, iban, invoice).")
    sending_opens: str | None = Field(None, pattern=HH_MM, description="Reminders go out from this local time "
                                      "(HH:MM, default 08:00).", examples=["08:30"])
    sending_closes: str | None = Field(None, pattern=HH_MM, description="... and not from this local time on "
                                       "(HH:MM, default 18:00).", examples=["17:00"])
    sending_days: list[SendingDay] | None = Field(
        None, min_length=1, max_length=7, description="The days reminders go out (default mon-fri); public "
        "holidays of your country never.", examples=[["mon", "tue", "wed", "thu", "fri"]])
    min_gap_days: int | None = Field(None, ge=1, le=30, description="Days between two messages to one customer, "
                                     "whatever the invoice (default 5).")
    promise_grace_days: int | None = Field(None, ge=0, le=30, description="Days after a promised date before "
                                           "the reminders go on (default 3).")
    plan_grace_days: int | None = Field(None, ge=0, le=30, description="Days an instalment of a payment plan "
                                        "may be late before the plan counts as broken (default 3).")

    model_config = {"json_schema_extra": {"examples": [
        {"sending_opens": "09:00", "sending_closes": "17:00", "sending_days": ["mon", "tue", "wed", "thu"],
         "min_gap_days": 7, "promise_grace_days": 2, "plan_grace_days": 5}]}}


def _out(business: Business) -> BusinessOut:
    return BusinessOut(**{k: getattr(business, k) for k in BusinessOut.model_fields})


@router.get("", response_model=BusinessOut, summary="Your business's settings")
def get_business(business: Business = Depends(current_business)):
    return _out(business)


@router.patch("", response_model=BusinessOut, summary="Change some of your settings")
def update_business(body: BusinessIn, business: Business = Depends(current_business),
                    session: Session = TRANSACTION):
    """Change only the fields given. The sending window (`sending_opens`, `sending_closes`, `sending_days`), the
    minimum gap between two messages to one customer (`min_gap_days`) and the grace periods (`promise_grace_days`,
    `plan_grace_days`, `reported_payment_grace_days`) apply to every open invoice from the next tick on."""
    changes = body.model_dump(exclude_unset=True)
    if "iban" in changes and changes["iban"]:
        from stdnum import iban as iban_number  # a maintained validator, not a regex

        if not iban_number.is_valid(changes["iban"]):
            raise HTTPException(422, f"{changes['iban']} is not a valid IBAN")
        changes["iban"] = iban_number.compact(changes["iban"])
    if "timezone" in changes and changes["timezone"] not in available_timezones():
        raise HTTPException(422, f"unknown time zone {changes['timezone']}")
    settings = dict(business.settings)
    opens = (changes["sending_opens"] if "sending_opens" in changes else settings.get("sending_opens")) or "08:00"
    closes = (changes["sending_closes"] if "sending_closes" in changes else settings.get("sending_closes")) or "18:00"
    if opens >= closes:  # HH:MM strings compare as times
        field = "sending_closes" if "sending_closes" in changes else "sending_opens"
        raise HTTPException(422, f"{field}: the sending window must open ({opens}) before it closes ({closes})")
    if changes.get("sending_days"):
        changes["sending_days"] = sorted(set(changes["sending_days"]), key=DAY_NAMES.index)
    for key, value in changes.items():
        if key in DEFAULTED_KEYS and value is None:
            settings.pop(key, None)
        elif key in SETTING_KEYS:
            settings[key] = value
        elif key == "sender_allowlist":
            if value is None:  # found by schemathesis: null is "no change", not a crash
                continue
            try:
                business.sender_allowlist = checked_senders(session, value, business_id=business.id)
            except SenderListRejected as exc:
                raise HTTPException(422, str(exc)) from exc
        else:
            setattr(business, key, value)
    business.settings = settings  # reassigned so the JSON column is seen as changed
    session.flush()
    return _out(business)
