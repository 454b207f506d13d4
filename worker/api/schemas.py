"""Request and response bodies of the finance API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DebtorOut(Orm):
    id: int
    name: str | None
    contact_email: str
    contact_name: str | None
    general_email: str | None
    contact_undeliverable: bool
    language: str | None
    is_consumer: bool
    offline: bool
    letter_tone: str | None
    address: str | None = None
    country: str | None = None
    email_consent: bool = False


class InvoiceOut(Orm):
    id: int
    number: str
    status: str
    status_reason: str | None
    issue_date: date | None
    due_date: date | None
    currency: str | None
    amount_due: Decimal | None
    amount_paid: Decimal
    payment_reference: str | None
    debtor: DebtorOut


class EventOut(Orm):
    id: int
    kind: str
    at: datetime
    data: dict[str, Any]
    inbound_message_id: int | None
    outbound_message_id: int | None


class InvoiceDetail(InvoiceOut):
    timeline: list[EventOut]
    parsed: dict[str, Any]


class PaymentIn(BaseModel):
    amount: Decimal = Field(gt=0, description="Amount received, in the invoice's currency.")
    paid_on: date | None = Field(None, description="Date of the payment; today when omitted.")
    note: str | None = None


class ResumeIn(BaseModel):
    note: str | None = Field(None, description="Why the ladder may go on (kept in the timeline).")


class DebtorIn(BaseModel):
    name: str | None = None
    contact_email: EmailStr | None = None
    contact_name: str | None = None
    general_email: EmailStr | None = None
    language: str | None = Field(None, pattern="^(nl|en|fr|de)$",
                                 description="Language of the letters; read from the invoice until a person sets it.")
    is_consumer: bool | None = Field(None, description="A consumer gets the consumer ladder (14-dagenbrief).")
    offline: bool | None = Field(None, description="Rarely online: letters are printed and posted.")
    letter_tone: str | None = Field(None, pattern="^(formal|informal|plain)$",
                                    description="Register of the letters: formal (default), informal, plain language.")
    address: str | None = Field(None, max_length=500, description="Postal address, lines separated by newlines; "
                                "printed in the address window of paper letters.")
    country: str | None = Field(None, pattern="^(NL|BE)$", description="Whose collection law applies to this "
                                "debtor; when empty, the business's country (PATCH /business).")
    email_consent: bool | None = Field(None, description="The consumer agreed to receive notices by e-mail: only "
                                       "then does the 14-day letter go by e-mail, otherwise by post.")


class InboundOut(Orm):
    id: int
    from_address: str | None
    subject: str | None
    kind: str | None
    status: str
    reason: str | None
    received_at: datetime


class ReviewOut(BaseModel):
    invoices: list[InvoiceOut]
    quarantined: list[InboundOut]
    notices: list[EventOut]


class InstalmentIn(BaseModel):
    due_date: date
    amount: Decimal = Field(gt=0)


class PaymentPlanIn(BaseModel):
    instalments: list[InstalmentIn] = Field(min_length=1, description="In date order; they must add up to what "
                                            "is still to pay.")
