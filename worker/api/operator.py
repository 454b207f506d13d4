"""Operator probes without authentication: /health (alive), /ready (dependencies) and /metrics (Prometheus)."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from worker.api.errors import error_response
from worker.composition import Container
from worker.metrics import DunningCollector
from worker.readiness import describe, run_checks

router = APIRouter(tags=["operator"])


def metrics_registry(container: Container) -> CollectorRegistry:
    """A registry of our own (not the global one), so several apps in one test process do not collide."""
    registry = CollectorRegistry(auto_describe=True)
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    registry.register(DunningCollector(container.sessions, container.engine, container.redis, container.clock,
                                       container.settings.tick_interval_seconds))
    return registry


@router.get("/health")
def health() -> dict[str, str]:
    """The process answers; touches no dependency (a liveness probe must not fail because the database does)."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "a dependency failed; see checks"}})
def ready(request: Request) -> JSONResponse:
    """200 when every dependency of this process answers, else 503; each check with its latency."""
    container: Container = request.app.state.container
    checks = run_checks(container)
    targets = describe(container)
    body = {name: {**check.as_json(), **({"target": targets[name]} if name in targets else {})}
            for name, check in checks.items()}
    ok = all(check.ok for check in checks.values())
    if not ok:  # the one error shape, with the checks that say which dependency failed
        failed = ", ".join(name for name, check in checks.items() if not check.ok)
        return error_response(503, f"not ready: {failed} did not answer; see checks", status="not ready", checks=body)
    return JSONResponse({"status": "ready", "checks": body})


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text format, computed from the database and Redis at scrape time."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
