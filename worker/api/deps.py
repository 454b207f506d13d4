"""Request-scoped dependencies: the database session, the business behind the API key, the operator key."""

import hmac
import logging
from collections.abc import Iterator
from datetime import datetime

from fastapi import BackgroundTasks, Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from worker.api.failed_auth import FailedAuthLimiter, client_key
from worker.db.models import Business
from worker.usecases.api_keys import authenticate, record_use, use_worth_recording

log = logging.getLogger(__name__)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The business's API key.")
admin_key_header = APIKeyHeader(name="X-Admin-Key", auto_error=False, scheme_name="AdminKey",
                                description="The operator key (DUNNING_ADMIN_API_KEY).")


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back when it raises."""
    with request.app.state.container.sessions.begin() as session:
        yield session


# The request's transaction commits before the response is sent (scope "function"): a client never gets a 2xx
# for a write that did not commit, and a background task after the response never waits for its locks.
TRANSACTION = Depends(db_session, scope="function")


async def request_now(request: Request) -> datetime:
    """The container's clock, so tests that move time see it in the API too. Async: reading a clock needs no
    trip through the thread pool (FastAPI runs a plain `def` dependency there, on every request)."""
    return request.app.state.container.clock()


def _client(request: Request) -> str:
    # The connecting address; behind DUNNING_TRUSTED_PROXIES the app's proxy middleware has put the real one here.
    return client_key(request.client.host if request.client else "unknown")


def _refuse_when_throttled(request: Request, now: datetime) -> None:
    limiter: FailedAuthLimiter = request.app.state.failed_auth
    wait = limiter.retry_after(_client(request), now)
    if wait is not None:
        raise HTTPException(429, f"too many failed authentications from this address; try again in {wait} s",
                            headers={"Retry-After": str(wait)})


def _refuse(request: Request, now: datetime, detail: str) -> HTTPException:
    request.app.state.failed_auth.record_failure(_client(request), now)
    return HTTPException(401, detail)


def current_business(request: Request, background: BackgroundTasks, api_key: str | None = Security(api_key_header),
                     session: Session = TRANSACTION, now: datetime = Depends(request_now)) -> Business:
    if not api_key:
        raise HTTPException(401, "missing X-API-Key header")
    _refuse_when_throttled(request, now)
    found = authenticate(session, api_key)
    if found is None:
        raise _refuse(request, now, "unknown API key; check the X-API-Key header (a key is shown once, by "
                                    "`dunning business create` or `dunning key create`)")
    key, business = found
    if key.revoked_at is not None:
        raise _refuse(request, now, "this API key was revoked; ask your administrator for a new one "
                                    "(dunning key create)")
    request.state.key_label = key.label  # who acts, for the timeline (see `acting_key`)
    if use_worth_recording(key, now):
        # After the response, in its own transaction: authenticating never waits for (or holds) a write lock.
        background.add_task(_record_use, request.app.state.container.sessions, key.id, api_key, now)
    return business


def acting_key(request: Request, business: Business = Depends(current_business)) -> str:
    """Who acts, as the timeline records it: "api key <label>" of the key that authenticated this request."""
    label = getattr(request.state, "key_label", None)
    return f"api key {label}" if label else f"api key of {business.name}"


def _record_use(sessions: sessionmaker[Session], key_id: int, api_key: str, now: datetime) -> None:
    try:
        with sessions.begin() as session:
            record_use(session, key_id, api_key, now)
    except SQLAlchemyError:  # bookkeeping only: the request it describes has been answered
        log.warning("could not record the use of API key %s", key_id, exc_info=True)


def operator_access(request: Request, admin_key: str | None = Security(admin_key_header),
                    now: datetime = Depends(request_now)) -> None:
    """The operator endpoints exist only when DUNNING_ADMIN_API_KEY is set; otherwise they answer 404."""
    expected = request.app.state.container.settings.admin_api_key
    if not expected:
        raise HTTPException(404, "Not Found")
    if not admin_key:
        raise HTTPException(401, "missing X-Admin-Key header (the DUNNING_ADMIN_API_KEY value)")
    _refuse_when_throttled(request, now)
    # Bytes, because compare_digest refuses str with non-ASCII characters (a header may carry them).
    if not hmac.compare_digest(admin_key.encode(), expected.encode()):
        raise _refuse(request, now, "wrong X-Admin-Key (it must be the DUNNING_ADMIN_API_KEY value)")
