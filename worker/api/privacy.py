"""Privacy: erase a debtor's personal data (GDPR art. 17), keeping what the law requires."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from worker.api.debtors import own_debtor
from worker.api.deps import TRANSACTION, acting_key, current_business, request_now
from worker.api.schemas import DebtorOut
from worker.db.models import Business
from worker.usecases.privacy_erase import AlreadyErased, StillOwed
from worker.usecases.privacy_erase import erase_debtor as run_erasure

router = APIRouter(prefix="/debtors", tags=["debtors"])


class EraseIn(BaseModel):
    """Erase the debtor's personal data; `confirm` must be true (it cannot be undone)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"confirm": True, "reason": "Request by e-mail of 3 March 2027 (ticket 4411)"}]})
    confirm: Literal[True] = Field(description="Must be true: the erasure cannot be undone.")
    reason: str | None = Field(None, max_length=500, description="Why, e.g. the debtor's request; kept on the "
                                                                  "timeline.")


class ErasedCounts(BaseModel):
    invoices: int = Field(description="Invoices kept (fiscal retention), each with a DebtorErased event.")
    inbound_messages: int = Field(description="Messages from the debtor whose raw bytes, sender and subject were "
                                              "removed.")
    outbound_messages: int = Field(description="Letters and e-mails to the debtor whose body was removed and "
                                               "addresses pseudonymised (unsent ones cancelled).")
    timeline_events: int = Field(description="Timeline events with free text and addresses taken out.")
    notices: int = Field(description="Notices to the business with the debtor's data taken out.")


class EraseOut(BaseModel):
    debtor: DebtorOut
    erased_at: datetime
    counts: ErasedCounts
    kept: str = Field(description="What the law requires to keep, and is kept.")


@router.post("/{debtor_id}/erase", response_model=EraseOut, summary="Erase a debtor's personal data (GDPR)",
             responses={409: {"description": "The debtor still owes, or was erased before."}})
def erase_debtor(debtor_id: int, body: EraseIn, business: Business = Depends(current_business),
                 session: Session = TRANSACTION, now: datetime = Depends(request_now), who: str = Depends(acting_key)):
    """Erase the debtor's personal data (GDPR art. 17) except what the law requires to keep: the invoices
    (numbers, dates, amounts, the e-mail each arrived in) and payments stay for the fiscal retention period
    (7 years in NL). Names, e-mail and postal addresses become a pseudonym ("Erased debtor 12",
    erased-12@erased.invalid); messages from the debtor lose their raw bytes, sender and subject; letters and
    e-mails to the debtor lose their body (unsent ones are cancelled); free text and addresses leave the
    timeline. Each invoice's timeline gets a DebtorErased event with who did it. A debtor who still owes is
    refused (409): the claim needs the data (art. 17(3)(e))."""
    debtor = own_debtor(debtor_id, business, session)
    try:
        done = run_erasure(session, debtor, who=who, reason=body.reason, now=now)
    except (StillOwed, AlreadyErased) as exc:
        raise HTTPException(409, str(exc)) from exc
    return EraseOut(debtor=DebtorOut.model_validate(debtor), erased_at=now, counts=ErasedCounts(**vars(done)),
                    kept="the invoices with their source e-mails, and the payments (fiscal retention, 7 years)")
