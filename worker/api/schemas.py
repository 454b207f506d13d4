"""Request and response bodies of the finance API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from worker.api.single_line import SingleLine


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
    """Money received on an invoice (booked once per `Idempotency-Key`)."""

    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2,
                            description="Amount received, in the invoice's currency, in whole cents.")
    paid_on: date | None = Field(None, description="Date the money arrived; today when omitted; never in the future.")
    note: str | None = Field(None, max_length=2000, description="Kept with the payment and in the timeline.")
    overpayment: bool = Field(False, description="Set when more than the open amount arrived on purpose: the invoice "
                              "becomes paid, the surplus is booked as the customer's credit and the business gets "
                              "a notice. Without it a payment above the open amount is refused (422).")


class ReversalIn(BaseModel):
    """Why a payment is taken back."""

    note: str | None = Field(None, max_length=2000, description="Why the payment is reversed (kept in the timeline).")


class PaymentOut(Orm):
    """One immutable money event on an invoice: a payment or the reversal of one."""

    id: int
    kind: str = Field(description="`payment`, or `reversal` (takes back the payment `reverses_id`).")
    reverses_id: int | None
    reversed_by: int | None = Field(None, description="The reversal that took this payment back, if any.")
    amount: Decimal = Field(description="Received (or, for a reversal, taken back).")
    credit: Decimal = Field(description="The part of `amount` beyond what was open: the customer's credit.")
    paid_on: date
    source: str = Field(description="`api`, `bank` (statement import) or `remittance` (advice from the customer).")
    note: str | None
    who: str
    created_at: datetime


class ResumeIn(BaseModel):
    note: str | None = Field(None, max_length=2000, description="Why the ladder may go on (kept in the timeline).")


class DebtorIn(BaseModel):
    name: SingleLine | None = None
    contact_email: EmailStr | None = None
    contact_name: Annotated[SingleLine, StringConstraints(max_length=200)] | None = Field(
        None, description="The person who gets the letters (at most 200 characters, as the column holds).")
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
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="In whole cents, below 10^12.")


class PaymentPlanIn(BaseModel):
    instalments: list[InstalmentIn] = Field(min_length=1, max_length=120, description="In date order; they must add "
                                            "up to what is still to pay.")
