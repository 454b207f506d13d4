"""Request-scoped dependencies: the database session and the business behind the API key."""

from collections.abc import Iterator
from datetime import datetime

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from worker.db.models import Business
from worker.usecases.businesses import business_for_api_key

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The business's API key.")


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    with request.app.state.container.sessions.begin() as session:
        yield session


def request_now(request: Request) -> datetime:
    """The container's clock, so tests that move time see it in the API too."""
    return request.app.state.container.clock()


def current_business(api_key: str | None = Security(api_key_header),
                     session: Session = Depends(db_session)) -> Business:
    if not api_key:
        raise HTTPException(401, "missing X-API-Key header")
    business = business_for_api_key(session, api_key)
    if business is None:
        raise HTTPException(401, "unknown API key")
    return business
