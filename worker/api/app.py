"""The FastAPI application: finance sees status, timelines and the review queue; OpenAPI at /docs."""

from fastapi import FastAPI

from worker.api import bank_statements, business, debtors, invoices, payments, print_queue, reports, review, templates
from worker.composition import Container


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Invoice follow-up (debiteurenbeheer)",
        description="Status, timelines and review queue of the invoices your business BCC'd to the service. "
        "Authenticate with the `X-API-Key` header printed by `dunning business create`.",
        version="0.1.0",
    )
    app.state.container = container
    app.include_router(invoices.router)
    app.include_router(payments.router)
    app.include_router(debtors.router)
    app.include_router(review.router)
    app.include_router(reports.router)
    app.include_router(templates.router)
    app.include_router(print_queue.router)
    app.include_router(business.router)
    app.include_router(bank_statements.router)

    @app.get("/health", tags=["operator"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
