"""The FastAPI application: finance sees status, timelines and the review queue; OpenAPI at /docs."""

from datetime import timedelta

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from worker.api import (
    bank_statements,
    business,
    debtors,
    invoices,
    ladders,
    payments,
    print_queue,
    reports,
    review,
    templates,
)
from worker.api.contacts import router as contacts_router
from worker.api.dossier import router as dossier_router
from worker.api.errors import answer_errors
from worker.api.failed_auth import FailedAuthLimiter
from worker.api.imports import router as imports_router
from worker.api.invalid_input import answer_invalid_input
from worker.api.operator import metrics_registry
from worker.api.operator import router as operator_router
from worker.api.privacy import router as privacy_router
from worker.api.webhooks import router as webhooks_router
from worker.composition import Container
from worker.config import Settings
from worker.jobs.webhook_delivery import watch as watch_webhook_events


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Invoice follow-up (debiteurenbeheer)",
        description="Status, timelines and review queue of the invoices your business BCC'd to the service. "
        "Authenticate with the `X-API-Key` header printed by `dunning business create`.",
        version="0.1.0",
    )
    app.state.container = container
    app.state.failed_auth = FailedAuthLimiter(limit=container.settings.auth_failure_limit,
                                              window=timedelta(seconds=container.settings.auth_failure_window_seconds))
    _add_middleware(app, container.settings)
    answer_errors(app)  # one error body for every 4xx/5xx, documented on every operation
    answer_invalid_input(app)
    app.include_router(invoices.router)
    app.include_router(payments.router)
    app.include_router(debtors.router)
    app.include_router(review.router)
    app.include_router(reports.router)
    app.include_router(privacy_router)  # POST /debtors/{id}/erase
    app.include_router(templates.router)
    app.include_router(print_queue.router)
    app.include_router(business.router)
    app.include_router(bank_statements.router)
    app.include_router(ladders.router)  # ladders per business as data (issue 15)
    app.include_router(contacts_router)  # notes and calls (issue 15)
    app.include_router(dossier_router)  # hand-off dossier (issue 15)
    app.include_router(imports_router)
    app.include_router(webhooks_router)
    watch_webhook_events(container)  # deliveries written with their events, the delivery job kicked

    app.state.metrics = metrics_registry(container)
    app.include_router(operator_router)  # /health, /ready, /metrics
    return app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """CORS only for the configured origins (none by default); client addresses from trusted proxies only."""
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["X-API-Key", "Content-Type", "Idempotency-Key"],
                           expose_headers=["Retry-After", "Content-Disposition", "X-Template-Source", "Link",
                                           "X-Next-Cursor"])
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
