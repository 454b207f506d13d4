"""Readiness checks: can this process reach the database, Redis, the mailbox and LibreOffice right now?"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from redis import Redis
from sqlalchemy import text

from mailer.imap_mailbox import ImapMailbox
from mailer.maildir_mailbox import MaildirMailbox
from worker.composition import Container
from worker.redaction import mask_text

# A probe answers within a few seconds even when a dependency hangs (Kubernetes' default probe timeout is 1 s,
# so operators raise it to ~5 s for this endpoint).
CHECK_TIMEOUT = 3.0


@dataclass(frozen=True)
class Check:
    ok: bool
    latency_ms: float
    detail: str | None = None  # what was found (ok) or what went wrong (not ok), never a secret

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"ok": self.ok, "latency_ms": self.latency_ms}
        if self.detail:
            body["detail" if self.ok else "error"] = self.detail
        return body


def check_database(container: Container) -> str:
    with container.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return container.engine.dialect.name


def check_redis(container: Container) -> str:
    """PING over a connection of its own with socket timeouts (the process's client has none: rq blocks on
    it), so a Redis that accepts but never answers costs this check CHECK_TIMEOUT, not a thread forever."""
    url = container.settings.redis_url or ""
    with Redis.from_url(url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT) as client:
        client.ping()
    return "PONG"


def check_mailbox(container: Container) -> str:
    mailbox = container.open_mailbox()
    try:
        if isinstance(mailbox, MaildirMailbox):
            if not (mailbox.path / "new").is_dir():
                raise RuntimeError(f"Maildir {mailbox.path} has no new/ folder")
            return "maildir"
        if isinstance(mailbox, ImapMailbox):
            mailbox.timeout = min(mailbox.timeout, CHECK_TIMEOUT)
        mailbox.cursor_state()  # IMAP: login, select the folder, NOOP and STATUS
        return type(mailbox).__name__
    finally:
        mailbox.close()


def check_libreoffice(container: Container) -> str:
    """Ready when letters can become PDFs; LibreOffice is not started by a probe (it takes seconds)."""
    converter = container.pdf_converter()  # raises ConfigurationError when pdf is required but not installed
    if converter is None:
        return "not installed: letters attach the .docx (DUNNING_LETTER_FORMAT=auto)"
    if not converter.available():
        raise RuntimeError("LibreOffice is not available")
    if getattr(converter, "warm", False):  # UnoserverConverter: its status names the port it answers on
        return f"unoserver {getattr(converter, 'status', 'running')}"
    return "available (starts with the first letter)"


def checks_for(container: Container) -> dict[str, Callable[[Container], str]]:
    """The dependencies of this process: Redis only when it has one, LibreOffice only when letters are PDFs."""
    checks: dict[str, Callable[[Container], str]] = {"database": check_database}
    if container.redis is not None and container.settings.redis_url:
        checks["redis"] = check_redis
    checks["mailbox"] = check_mailbox
    if container.settings.letter_format != "docx":
        checks["libreoffice"] = check_libreoffice
    return checks


def _timed(check: Callable[[Container], str], container: Container) -> Check:
    started = time.perf_counter()
    try:
        detail = check(container)
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure is the answer the probe wants, as text
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(ok, round((time.perf_counter() - started) * 1000, 1), mask_text(detail)[:300])


def run_checks(container: Container, timeout: float = CHECK_TIMEOUT) -> dict[str, Check]:
    """Every check at once, each bounded by `timeout` (a hung one is reported, not waited for)."""
    checks = checks_for(container)
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="ready")
    try:
        futures = {name: pool.submit(_timed, check, container) for name, check in checks.items()}
        deadline = time.monotonic() + timeout
        results = {}
        for name, future in futures.items():
            try:
                results[name] = future.result(timeout=max(deadline - time.monotonic(), 0))
            except FutureTimeout:
                results[name] = Check(False, timeout * 1000, f"no answer within {timeout:g} s")
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def describe(container: Container) -> dict[str, str]:
    """Where each dependency is, with passwords masked (for the operator reading /ready)."""
    settings = container.settings
    return {"database": mask_text(settings.effective_database_url),
            "mailbox": mask_text(settings.effective_mailbox_url),
            **({"redis": mask_text(settings.redis_url)} if settings.redis_url else {})}
