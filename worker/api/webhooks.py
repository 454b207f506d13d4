"""Webhook endpoints: tell another system when an invoice's status changes, a reply or payment comes, or review."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.imports import key_label
from worker.api.single_line import SingleLine
from worker.db.models import Business
from worker.db.webhook_models import Webhook, WebhookDelivery
from worker.usecases.webhooks import EVENTS, WebhookRefused, active_webhooks, add_webhook, delete_webhook, own_webhook

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookIn(BaseModel):
    """A new endpoint: where to POST, and which events."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "url": "https://erp.example.com/hooks/dunning", "events": ["invoice.status_changed", "payment.recorded"],
        "description": "ERP sync"}]})
    url: str = Field(min_length=8, max_length=2000, description="An https:// (or http://) URL on a public address.")
    events: list[str] = Field(min_length=1, max_length=len(EVENTS), description=f"Any of {', '.join(EVENTS)}.")
    description: SingleLine | None = Field(None, max_length=200, description="What the endpoint is, for you.")


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    url: str
    events: list[str]
    description: str | None
    created_by: str
    created_at: datetime
    deleted_at: datetime | None


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Shown once: verify each delivery's `Dunning-Signature: t=<unix time>,v1=<hex>` "
                                    "header as HMAC-SHA256(secret, f\"{t}.{raw body}\").")


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    event: str
    event_id: str
    status: str = Field(description="pending, delivered or failed (after the last retry, or the webhook deleted)")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


def _detail(example: str) -> dict[str, Any]:
    return {"application/json": {"example": {"detail": example}}}


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {
    "description": "No such webhook of this business.",
    "content": _detail("no webhook 7; GET /webhooks lists yours")}}


def _own(session: Session, business: Business, webhook_id: int) -> Webhook:
    hook = own_webhook(session, business.id, webhook_id)
    if hook is None:  # another business's webhook is as unknown as one that does not exist
        raise HTTPException(404, f"no webhook {webhook_id}; GET /webhooks lists yours")
    return hook


@router.post("", status_code=201, response_model=WebhookCreatedOut, summary="Add a webhook",
             responses={422: {"description": "Not a URL or event we deliver to.", "content": _detail(
                 "the URL points at 10.0.0.5, a loopback, private or reserved address; webhooks go to public "
                 "addresses only")}})
def create_webhook(body: WebhookIn, request: Request, business: Business = Depends(current_business),
                   session: Session = TRANSACTION, who: str = Depends(key_label),
                   now: datetime = Depends(request_now)):
    """Add an endpoint that is POSTed a JSON event (`{"id", "type", "created", "business_id", "data"}`) whenever
    one of its events happens, signed with the secret in this answer (shown once). A delivery that does not get
    a 2xx within 10 s is retried with exponential back-off (5 min, 15 min, 45 min, ... about a day in all);
    `GET /webhooks/{id}/deliveries` shows each attempt's outcome."""
    try:
        hook = add_webhook(session, business.id, url=body.url, events=body.events, description=body.description,
                           who=who, now=now, allow_private=request.app.state.container.settings.webhook_allow_private)
    except WebhookRefused as exc:
        raise HTTPException(422, str(exc)) from exc
    return WebhookCreatedOut.model_validate(hook)


@router.get("", response_model=list[WebhookOut], summary="List webhooks")
def list_webhooks(business: Business = Depends(current_business), session: Session = TRANSACTION):
    """The business's webhooks (not deleted), without their secrets."""
    return active_webhooks(session, business.id)


@router.delete("/{webhook_id}", status_code=204, responses=NOT_FOUND, summary="Delete a webhook")
def remove_webhook(webhook_id: int, business: Business = Depends(current_business),
                   session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Stop telling this endpoint anything (deliveries still pending are not sent); its delivery log stays."""
    hook = _own(session, business, webhook_id)
    if hook.deleted_at is not None:
        raise HTTPException(404, f"webhook {webhook_id} was deleted already")
    delete_webhook(hook, now)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut], responses=NOT_FOUND,
            summary="A webhook's delivery log")
def deliveries(webhook_id: int, business: Business = Depends(current_business), session: Session = TRANSACTION,
               status: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100):
    """The newest deliveries first: the event sent, the attempts, the endpoint's last answer, what comes next."""
    hook = _own(session, business, webhook_id)
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    return session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)).all()
