"""Process-tree helpers for lifecycle tests, read from /proc (no psutil in the lock file)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, ppid) of a process, None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def descendants(root: int) -> dict[int, str]:
    """Every live process below `root` (children, grandchildren, ...), with its command line."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[0] != "Z":
                children.setdefault(stat[1], []).append(int(entry))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found[child] = cmdline(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a zombie has stopped; only its exit status is left)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def wait_until(predicate, timeout: float, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    """Wait for another process to reach a state (an event, not the passing of time under test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout:.0f} s")
        time.sleep(0.05)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
