"""A private redis-server for the embedded defaults, on a unix socket in the data folder."""

import shutil
import subprocess
import time
from pathlib import Path

from redis import Redis

from worker.config import ConfigurationError
from worker.lifecycle import die_with_parent, stop_child


def socket_url(data_dir: Path) -> str:
    return f"unix://{(data_dir / 'redis.sock').resolve()}"


def running_url(data_dir: Path) -> str | None:
    """The URL of an embedded Redis another `dunning run` already started in this data folder, if any."""
    url = socket_url(data_dir)
    if not (data_dir / "redis.sock").exists():
        return None
    try:
        Redis.from_url(url).ping()
        return url
    except Exception:
        return None


def start(data_dir: Path) -> tuple[str, subprocess.Popen[bytes] | None]:
    """Reuse or start redis-server (no persistence: the database is the system of record)."""
    existing = running_url(data_dir)
    if existing:
        return existing, None
    binary = shutil.which("redis-server")
    if binary is None:
        raise ConfigurationError("redis-server is not installed; run `apt-get install redis-server` or set "
                                 "DUNNING_REDIS_URL")
    sock = (data_dir / "redis.sock").resolve()
    # Its own process group: a terminal's Ctrl-C must not take Redis away under the worker's threads; `stop`
    # ends it last. It also dies with us when we are killed (-9 included).
    process = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700", "--save", "",
         "--appendonly", "no", "--dir", str(data_dir.resolve())],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent,
    )
    url = socket_url(data_dir)
    for _ in range(100):  # start-up takes ~20 ms; give it up to 5 s on a slow machine
        if running_url(data_dir):
            return url, process
        time.sleep(0.05)
    stop(process)
    raise ConfigurationError(f"redis-server did not start on {sock}")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop the redis-server this process started (None: it was reused, another process owns it)."""
    if process is not None:
        stop_child(process, "embedded redis-server", timeout=5)
