"""Structured logs: JSON lines or key=value lines, stdlib records through the same renderer, secrets never printed."""

import io
import json
import logging

import pytest
import structlog

from worker.config import Settings
from worker.logs import configure_logging, get_logger
from worker.redaction import mask_text, scrub

SECRETS = ("hunter2", "s3cr3t-key", "dk_Zx8vQ2mN4pLk7Jh", "Dear customer, please pay", "ssh-private")


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _log_everything() -> None:
    log = get_logger("worker.usecases.tick")
    log.info("reminder_recorded", business_id=3, invoice_ids=[7, 8], outbound_message_id=11, step="reminder_1",
             password="hunter2", api_key="s3cr3t-key", body="Dear customer, please pay",
             mailbox="imaps://ap%40jansen.example:hunter2@imap.example:993/INBOX",
             headers={"Authorization": "Bearer s3cr3t-key", "X-Request": "1"}, raw=b"ssh-private")
    log.info("key_used", note="the client sent dk_Zx8vQ2mN4pLk7Jh")
    try:
        raise ConnectionError("cannot reach redis://:hunter2@redis.internal:6379/0")
    except ConnectionError:
        log.exception("tick_failed", business_id=3)
    logging.getLogger("uvicorn.error").warning("listening at %s", "smtp://bob:hunter2@mail.example:587",
                                               extra={"color_message": "listening at \x1b[1m%s\x1b[0m"})
    logging.getLogger("worker.runtime").info("inbound_message_handled",
                                             extra={"inbound_id": 5, "status": "processed", "secret": "hunter2"})
    logging.getLogger("alembic.runtime.migration").info("Running upgrade 0004 -> 0005")  # below WARNING: hidden


def test_json_mode_prints_one_parseable_object_a_line_and_no_secret(restore_logging):
    stream = io.StringIO()
    assert configure_logging("json", stream=stream) == "json"
    _log_everything()
    output = stream.getvalue()
    events = [json.loads(line) for line in output.splitlines()]
    assert [e["event"] for e in events] == ["reminder_recorded", "key_used", "tick_failed",
                                            "listening at smtp://bob:***@mail.example:587",
                                            "inbound_message_handled"]
    for secret in SECRETS:
        assert secret not in output
    recorded = events[0]
    assert (recorded["business_id"], recorded["invoice_ids"], recorded["outbound_message_id"]) == (3, [7, 8], 11)
    assert recorded["level"] == "info" and recorded["logger"] == "worker.usecases.tick" and recorded["timestamp"]
    assert recorded["password"] == recorded["api_key"] == recorded["body"] == recorded["raw"] == "[redacted]"
    assert recorded["mailbox"] == "imaps://ap%40jansen.example:***@imap.example:993/INBOX"
    assert recorded["headers"] == {"Authorization": "[redacted]", "X-Request": "1"}
    assert "ConnectionError: cannot reach redis://:***@redis.internal:6379/0" in events[2]["exception"]
    assert (events[3]["logger"], events[3]["level"]) == ("uvicorn.error", "warning")
    assert "color_message" not in events[3]
    assert (events[4]["inbound_id"], events[4]["status"], events[4]["secret"]) == (5, "processed", "[redacted]")


def test_console_mode_prints_readable_lines_without_colour_or_secret(restore_logging):
    stream = io.StringIO()
    configure_logging("console", stream=stream)
    _log_everything()
    output = stream.getvalue()
    assert "\x1b[" not in output
    for secret in SECRETS:
        assert secret not in output
    first = output.splitlines()[0]
    assert "reminder_recorded" in first and "business_id=3" in first and "outbound_message_id=11" in first
    assert "[uvicorn.error]" in output


def test_auto_is_console_on_a_terminal_and_json_elsewhere(restore_logging):
    assert configure_logging("auto", stream=Tty()) == "console"
    assert configure_logging("auto", stream=io.StringIO()) == "json"
    assert configure_logging(Settings(log_format="console"), stream=io.StringIO()) == "console"
    assert configure_logging(Settings(), stream=io.StringIO()) == "json"
    with pytest.raises(ValueError, match="log format"):
        configure_logging("xml", stream=io.StringIO())


def test_configuring_twice_keeps_one_handler(restore_logging):
    first, second = io.StringIO(), io.StringIO()
    configure_logging("json", stream=first)
    configure_logging("json", stream=second)
    get_logger("x").info("once")
    assert first.getvalue() == "" and len(second.getvalue().splitlines()) == 1


def test_before_configuration_events_go_through_stdlib_logging_not_stdout(restore_logging, capsys, caplog):
    """`dunning tick` prints its JSON report on stdout; an unconfigured structlog would print events there too."""
    structlog.reset_defaults()
    caplog.set_level(logging.INFO, logger="worker.usecases.tick")
    get_logger("worker.usecases.tick").info("reminder_recorded", business_id=1)
    assert capsys.readouterr().out == ""
    assert ["reminder_recorded" in r.getMessage() for r in caplog.records] == [True]


@pytest.mark.parametrize(("text", "masked"), [
    ("imap://user:pa:ss@host/INBOX", "imap://user:***@host/INBOX"),
    ("postgresql+psycopg://dunning:pw@db:5432/dunning", "postgresql+psycopg://dunning:***@db:5432/dunning"),
    ("redis://:pw@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    ("smtp://mail.example:25 and maildir:///var/mail", "smtp://mail.example:25 and maildir:///var/mail"),
    ("sqlite:////data/dunning.db", "sqlite:////data/dunning.db"),
])
def test_urls_lose_their_passwords_only(text, masked):
    assert mask_text(text) == masked


def test_scrub_walks_nested_values():
    assert scrub({"a": [{"password": "x"}, "redis://:pw@h/0"], "n": 1, "client_secret": "y"}) == {
        "a": [{"password": "[redacted]"}, "redis://:***@h/0"], "n": 1, "client_secret": "[redacted]"}
