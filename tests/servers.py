"""Pytest plugin: real servers for integration tests (private Dovecot, recording SMTP, Redis, PostgreSQL).

Register with `pytest_plugins = ["tests.servers"]`. Nothing here skips: a server that cannot start fails the
test with what to run (`scripts/services.sh`) and the server's own log.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

SETUP_HINT = "run `scripts/services.sh` as root (it installs and starts the test servers)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.02)
    return False


# ---------------------------------------------------------------------------------------------------
# Dovecot
# ---------------------------------------------------------------------------------------------------
_DOVECOT_CONF = """\
protocols = imap lmtp
listen = 127.0.0.1
instance_name = dovecot-test-{tag}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_username_format = %Ln
mail_location = maildir:{root}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users/%u.passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass(frozen=True)
class ImapAccount:
    name: str
    password: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.name}@example.test"

    def url(self, folder: str = "INBOX") -> str:
        user, password = quote(self.name, safe=""), quote(self.password, safe="")
        return f"imap://{user}:{password}@{self.host}:{self.port}/{folder}"


@dataclass
class Dovecot:
    """A private Dovecot: IMAP (and LMTP) on free loopback ports, Maildir users from a passwd-file."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 0
    lmtp_port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log(self) -> Path:
        return self.root / "log" / "dovecot.log"

    def add_user(self, name: str, password: str) -> ImapAccount:
        """Add (or replace) a user; Dovecot re-reads the passwd-file when it changes, so this works live."""
        if not name or any(c in name for c in ":/\n%") or name.startswith(".") or "\n" in password:
            raise ValueError(f"unusable IMAP user name {name!r}")
        # One passwd-file per user (the path has %u): Dovecot stats a passwd-file at most once per second,
        # so a user added to a shared file right after a login would be unknown for up to a second, while a
        # new file is read on the user's first login.
        passwd = self.root / "users" / f"{name.lower()}.passwd"  # auth_username_format lower-cases
        with self._lock:
            tmp = passwd.with_suffix(".tmp")
            tmp.write_text(f"{name}:{{PLAIN}}{password}\n")
            shutil.chown(tmp, group="dovecot")
            tmp.chmod(0o640)
            os.replace(tmp, passwd)  # atomic: a login never sees half a file
        return ImapAccount(name, password, self.host, self.port)

    def new_account(self, prefix: str = "user") -> ImapAccount:
        """A fresh user with an empty mailbox, so tests do not see each other's mail."""
        return self.add_user(f"{prefix}{secrets.token_hex(4)}", secrets.token_urlsafe(12))

    def doveadm(self, *args: str) -> str:
        result = subprocess.run(
            ["doveadm", "-c", str(self.config), *args], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def start(self) -> None:
        if shutil.which("dovecot") is None:
            pytest.fail(f"Dovecot is not installed: {SETUP_HINT}", pytrace=False)
        for sub in ("run", "state", "log", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root / "mail", "nobody", "nogroup")
        users = self.root / "users"
        users.mkdir(exist_ok=True)
        shutil.chown(users, group="dovecot")
        users.chmod(0o750)
        self.port, self.lmtp_port = free_port(), free_port()
        self.config.write_text(
            _DOVECOT_CONF.format(
                root=self.root, tag=self.root.name, imap_port=self.port, lmtp_port=self.lmtp_port
            )
        )
        # -F keeps the master in the foreground, so the fixture owns exactly this process.
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        if not wait_for_port(self.host, self.port, timeout=15):
            output = b""
            if self.process.poll() is not None and self.process.stdout:
                output = self.process.stdout.read()
            self.stop()
            pytest.fail(
                f"private Dovecot did not open 127.0.0.1:{self.port}; {SETUP_HINT}.\n"
                f"output: {output.decode(errors='replace')}\nlog:\n{self.log_tail()}",
                pytrace=False,
            )

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    root = Path(tempfile.mkdtemp(prefix="dunning-dovecot-"))
    root.chmod(0o755)  # Dovecot's auth and mail processes run as other users and must reach their files
    server = Dovecot(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# SMTP (aiosmtpd, recording)
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes


class RecordingSmtpServer:
    """A real SMTP server on loopback that accepts mail and records it; recipients can be made to fail."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.messages: list[ReceivedMessage] = []
        # address (lower case) -> SMTP reply given at RCPT TO, e.g. "550 5.1.1 <x>: no such user"
        self.reject: dict[str, str] = {}
        # While set, RCPT TO is not answered: a client is caught mid-transaction (crash tests).
        self.hold = threading.Event()
        self.held_sessions = 0
        self._changed = threading.Condition()
        self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def clear(self) -> None:
        with self._changed:
            self.messages.clear()
            self.reject.clear()
            self.hold.clear()
            self.held_sessions = 0

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least `count` messages arrived (or fail after `timeout` seconds)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                got = len(self.messages)
                raise AssertionError(f"expected {count} messages at the SMTP server, got {got}")
            return list(self.messages)

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        import asyncio

        if self.hold.is_set():
            self.held_sessions += 1
            while self.hold.is_set():  # the server's own loop polls; the test thread releases it
                await asyncio.sleep(0.02)
        reply = self.reject.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")
        with self._changed:
            self.messages.append(ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), raw))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self._controller = Controller(self, hostname=self.host, port=self.port, ready_timeout=10)
        try:
            self._controller.start()
        except Exception as exc:  # noqa: BLE001 - report any start failure the same way
            pytest.fail(f"aiosmtpd SMTP server did not start on {self.port}: {exc}", pytrace=False)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[RecordingSmtpServer]:
    server = RecordingSmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------------
_REDIS_CLAIM = "dunning:test-session-claim"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A flushed Redis database of our own on the machine's Redis (127.0.0.1:6379, databases 15..1).

    Only TEST_REDIS_URL names another one: it says that database may be emptied. REDIS_URL is the service's
    setting and may name a Redis with real work in it, so the tests never flush it.
    """
    import redis

    configured = os.environ.get("TEST_REDIS_URL")
    candidates: list[str]
    if configured:
        candidates = [configured]
    else:
        # Several sessions may test on one machine at once: claim a database nobody else holds.
        candidates = [f"redis://127.0.0.1:6379/{db}" for db in range(15, 0, -1)]
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    chosen = None
    for url in candidates:
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=3)
            if client.set(_REDIS_CLAIM, token, nx=True, ex=3600) or configured:
                chosen = (url, client)
                break
        except redis.exceptions.RedisError as exc:
            pytest.fail(f"Redis at {url} does not answer ({exc}); {SETUP_HINT}", pytrace=False)
    if chosen is None:
        pytest.fail("every Redis test database 1..15 is claimed by another test session", pytrace=False)
    url, client = chosen
    client.flushdb()
    client.set(_REDIS_CLAIM, token, ex=3600)
    try:
        yield url
    finally:
        try:
            client.flushdb()
        finally:
            client.close()


# ---------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------
def _psycopg_dsn(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named database (SQLAlchemy URL, psycopg driver), dropped at the end."""
    import psycopg

    base = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"dunning_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(_psycopg_dsn(base), autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL at {base} does not answer ({exc}); {SETUP_HINT}", pytrace=False)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(base)
    scheme = parts.scheme if "+" in parts.scheme else "postgresql+psycopg"
    url = urlunsplit(parts._replace(scheme=scheme, path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(_psycopg_dsn(base), autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres(url: str) -> None:
    """Drop and recreate the public schema: the database as a fresh install finds it."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
