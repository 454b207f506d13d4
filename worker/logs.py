"""Logging set-up: structlog events and stdlib records (uvicorn, rq, alembic) through one redacting renderer."""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor

from worker.redaction import scrub

FORMATS = ("auto", "json", "console")
# Libraries that speak too much at INFO for a production log.
_QUIET = {"alembic": logging.WARNING, "rq.worker": logging.WARNING, "httpx": logging.WARNING}


def redact_secrets(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """Drop the values of keys named like secrets or message bodies; mask passwords in URLs anywhere."""
    return scrub(event_dict)  # type: ignore[no-any-return]


def drop_color_message(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """uvicorn passes an ANSI-coloured copy of its message as an extra; the plain one is enough."""
    event_dict.pop("color_message", None)
    return event_dict


def _choose_format(settings_or_format: object, stream: TextIO) -> str:
    chosen = getattr(settings_or_format, "log_format", settings_or_format) or "auto"
    if chosen not in FORMATS:
        raise ValueError(f"log format {chosen!r}: use one of {', '.join(FORMATS)}")
    if chosen == "auto":  # a person at a terminal reads lines; anything else (journald, docker) gets JSON
        return "console" if stream.isatty() else "json"
    return str(chosen)


def configure_logging(settings_or_format: object = "auto", *, stream: TextIO | None = None,
                      level: int | str = logging.INFO) -> str:
    """Route structlog and stdlib logging to `stream` (stderr) as JSON lines or key=value lines.

    `settings_or_format` is the Settings (its `log_format`) or one of auto, json, console. Returns the format
    chosen. Safe to call again (tests do): the previous handler is replaced.
    """
    stream = stream or sys.stderr
    chosen = _choose_format(settings_or_format, stream)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        # Tracebacks become text before redaction, so a password in an exception message is masked too.
        structlog.processors.format_exc_info,
        redact_secrets,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer(default=str) if chosen == "json"
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), drop_color_message, *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_dunning", False)]:
        root.removeHandler(old)
    handler._dunning = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # uvicorn's own handlers would bypass ours
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # configure_logging may run again (tests); cached loggers would not see it
    )
    return chosen


def get_logger(name: str) -> Any:
    """A structlog logger that always writes through stdlib logging: before configure_logging runs (a script,
    a test) events still go to stderr like any log line, never into a command's JSON on stdout."""
    return structlog.wrap_logger(logging.getLogger(name), wrapper_class=structlog.stdlib.BoundLogger)
