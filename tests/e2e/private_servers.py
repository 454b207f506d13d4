"""A private Redis and a private PostgreSQL a test may flush, stop and restart (the machine's shared ones on
6379 and 5432 serve other tests and are never restarted)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import free_port, wait_for_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class PrivateRedis:
    root: Path
    port: int = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        subprocess.run(["redis-server", "--daemonize", "yes", "--port", str(self.port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", str(self.root),
                        "--pidfile", str(self.root / "redis.pid"), "--logfile", str(self.root / "redis.log")],
                       check=True, timeout=30)
        if not wait_for_port("127.0.0.1", self.port, 15):
            pytest.fail(f"private redis-server did not open {self.port}", pytrace=False)

    def flush_and_stop(self) -> None:
        """FLUSHALL, then shut down without saving: everything in flight is gone."""
        import redis

        client = redis.Redis(port=self.port)
        client.flushall()
        try:
            client.shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass  # the server closes the connection as it exits
        deadline = time.monotonic() + 15
        while (self.root / "redis.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        pid_file = self.root / "redis.pid"
        if pid_file.exists():
            subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], check=False,
                           capture_output=True, timeout=15)


@contextmanager
def private_redis(root: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class PrivatePostgres:
    root: Path
    port: int = 0

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.root / "data"),
                        "-l", str(self.root / "server.log"), *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
            pytest.fail(f"PostgreSQL 15 server binaries are missing in {PG_BIN}", pytrace=False)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(self.root / "data"),
                        "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        self.port = free_port()
        self._pg_ctl("-w", "start", "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                     "-c fsync=off")

    def restart(self) -> None:
        """A fast restart: every client connection is terminated; the server answers again after it."""
        self._pg_ctl("-w", "-m", "fast", "restart")

    def stop(self) -> None:
        try:
            self._pg_ctl("-w", "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    # Not under pytest's tmp_path: the postgres user must reach its data and socket folder.
    root = Path(tempfile.mkdtemp(prefix="dunning-pg-"))
    server = PrivatePostgres(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
