"""DOCX to PDF through a warm LibreOffice kept running by unoserver (~0.1 s a letter instead of ~1 s cold).

Install (Debian 12, as root; the server half needs Debian's python3-uno, importable only from /usr/bin/python3,
so unoserver runs from its own venv that sees the system site-packages; the client half is pure Python):

    apt-get install -y --no-install-recommends libreoffice-writer-nogui python3-uno fonts-crosextra-carlito
    /usr/bin/python3 -m venv --system-site-packages .venv-uno
    .venv-uno/bin/pip install 'unoserver==3.7'
    .venv/bin/pip install 'unoserver==3.7'          # the client, in the application's own venv

(scripts/install.sh does this.) Then `UnoserverConverter(work_dir, unoserver=".venv-uno/bin/unoserver")`.
When the server cannot be started or stops answering, each letter falls back to the cold `fallback` converter
(a PdfConverter), so letters keep going out, only slower; `status` says why.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from letter_templates.pdf import Converter, PdfConversionError, PdfUnavailable

UNOSERVER_VENV = ".venv-uno"  # in the checkout, as the install lines above (and scripts/install.sh) make it


def unoserver_in(root: str | Path) -> Path:
    """Where the install lines above put the unoserver command, for a checkout at `root`."""
    return Path(root) / UNOSERVER_VENV / "bin" / "unoserver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


START_TRIES = 3


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on 127.0.0.1:`port` (from /proc/net/tcp; empty where there is no /proc)."""
    inodes: set[str] = set()
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return inodes
    for line in lines:
        fields = line.split()
        if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(fields[9])
    return inodes


def _listens_in_group(port: int, pgid: int) -> bool:
    """Whether a process of group `pgid` (our unoserver) holds the listening socket of `port`: the port may
    have been taken by another process's server between our pick and its bind."""
    inodes = _listening_inodes(port)
    if not Path("/proc/net/tcp").exists():
        return True  # nothing to check with: trust the port
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for pid in _group_members(pgid):
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in wanted:
                    return True
            except OSError:  # closed while we looked (the listing's own descriptor, for one)
                continue
    return False


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def _wait_group_gone(leader: subprocess.Popen[bytes], timeout: float) -> bool:
    """Reap the leader and wait until no live process is left in its group; False after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leader.poll()  # reap our child, so it does not count as alive
        if not _group_members(leader.pid):
            return True
        time.sleep(0.05)
    return False


def _client(port: int) -> Any:
    from unoserver.client import UnoClient  # imported late: the client is optional at install time

    class Client(UnoClient):
        """unoserver's client asks the server for its filter list (and retries 5 x 10 s) on every call; ask
        once, fail fast, and let the converter fall back."""

        info: dict | None = None

        def _connect(self, proxy: Any, retries: int = 1, sleep: float = 0) -> dict:
            if self.info is None:
                self.info = super()._connect(proxy, retries=1, sleep=0)
            return self.info

    return Client(server="127.0.0.1", port=str(port), host_location="remote")


class UnoserverConverter:
    """One warm LibreOffice (one unoserver process with its own profile); implements the Converter protocol.

    Started on first use (or with `start()`), stopped with `close()` or at the end of a `with` block.
    Conversions on one instance are serialised: LibreOffice converts one document at a time. Run several
    instances (UnoserverPool) to convert in parallel.
    """

    def __init__(self, work_dir: str | Path, *, unoserver: str | Path = "unoserver",
                 fallback: Converter | None = None, start_timeout: float = 60.0,
                 conversion_timeout: int = 60) -> None:
        self.work_dir = Path(work_dir).resolve()
        self.unoserver = str(unoserver)
        self.fallback = fallback
        self.start_timeout = start_timeout
        self.conversion_timeout = conversion_timeout
        self.status = "not started"
        self._process: subprocess.Popen[bytes] | None = None
        self._port = 0
        self._client: Any = None
        self._lock = threading.Lock()
        self._failed_start = False

    # lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the server and wait until it answers; False (with `status` saying why) when it cannot."""
        with self._lock:
            return self._start()

    def _start(self) -> bool:
        if self._running():
            return True
        # Ports are picked free but taken seconds later (LibreOffice starts first): another process may take
        # one meanwhile. Then this server exits, or the port answers for someone else; try new ports.
        for _ in range(START_TRIES):
            if self._start_once() or self._failed_start:
                return self._running()
        self._failed_start = True
        return False

    def _start_once(self) -> bool:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self._port, uno_port = free_port(), free_port()
        log = open(self.work_dir / "unoserver.log", "ab")  # noqa: SIM115 - handed to the child process
        command = [self.unoserver, "--interface", "127.0.0.1", "--port", str(self._port),
                   "--uno-interface", "127.0.0.1", "--uno-port", str(uno_port),
                   "--user-installation", str(self.work_dir / "profile"),
                   "--conversion-timeout", str(self.conversion_timeout)]
        try:
            # Its own session, so close() can stop unoserver and the soffice it starts in one signal.
            self._process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        except OSError as exc:
            self._failed_start = True
            self.status = f"unoserver could not be started ({exc}); see the install lines in letter_templates.warm_pdf"
            return False
        finally:
            log.close()
        # unoserver waits about 5 s for LibreOffice before it opens its port; poll rather than sleep.
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.status = (f"unoserver exited with {self._process.returncode} while starting; see "
                               f"{self.work_dir / 'unoserver.log'}")
                self._stop()
                return False
            if _port_open(self._port):
                if not _listens_in_group(self._port, self._process.pid):
                    self.status = f"port {self._port} answered for another process"
                    self._stop()
                    return False
                self._client = _client(self._port)
                self.status = f"warm on port {self._port}"
                return True
            time.sleep(0.1)
        self._stop()
        self._failed_start = True
        self.status = f"unoserver did not answer within {self.start_timeout:.0f} s"
        return False

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None and self._client is not None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        process, self._process, self._client = self._process, None, None
        if process is None:
            return
        # unoserver leads its own process group (start_new_session above) and its oosplash and soffice.bin stay
        # in it. SIGTERM to unoserver alone: it shuts its LibreOffice down itself (~1.7 s; a SIGTERM to the whole
        # group instead leaves soffice.bin hanging). Whatever is left of the group after that is killed, and
        # we wait until none of it is alive, so nothing outlives close().
        try:
            process.terminate()
        except ProcessLookupError:
            pass
        if not _wait_group_gone(process, 5.0):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait_group_gone(process, 5.0)
        if process.poll() is None:
            process.wait(timeout=5)

    def __enter__(self) -> UnoserverConverter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Converter protocol -------------------------------------------------------------------------------

    def available(self) -> bool:
        if self._running():
            return True
        if not self._failed_start and (Path(self.unoserver).exists() or shutil.which(self.unoserver)):
            return True
        return self.fallback is not None and self.fallback.available()

    @property
    def warm(self) -> bool:
        return self._running()

    def convert(self, docx: bytes) -> bytes:
        """The PDF, warm when the server answers, else from the fallback (PdfUnavailable when there is none)."""
        with self._lock:
            if not self._running() and not self._failed_start:
                self._start()
            if self._running():
                try:
                    # Letters have no tables of contents; updating indexes only costs time.
                    return bytes(self._client.convert(indata=docx, convert_to="pdf", update_index=False))
                except Exception as exc:  # noqa: BLE001 - any server failure: fall back, restart next time
                    reason = f"{exc.__class__.__name__}: {exc}"
                    self._stop()
                    self.status = f"unoserver failed ({reason}); restarting on the next letter"
                    if self.fallback is None:
                        raise PdfConversionError(f"LibreOffice (unoserver) made no PDF: {reason}") from exc
        if self.fallback is None:
            raise PdfUnavailable(self.status)
        return self.fallback.convert(docx)


class UnoserverPool:
    """Several warm instances behind one Converter: each letter goes to a free instance, so throughput grows with
    the number of instances (each one is a LibreOffice process of ~150 MB)."""

    def __init__(self, converters: Sequence[UnoserverConverter]) -> None:
        self.converters = list(converters)
        self._free: queue.Queue[UnoserverConverter] = queue.Queue()
        for converter in self.converters:
            self._free.put(converter)

    @classmethod
    def of(cls, size: int, work_dir: str | Path, **kwargs: Any) -> UnoserverPool:
        return cls([UnoserverConverter(Path(work_dir) / f"instance-{i}", **kwargs) for i in range(size)])

    def start(self) -> bool:
        # Start them side by side: each one spends its ~5 s start-up mostly waiting.
        threads = [threading.Thread(target=c.start) for c in self.converters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return all(c.warm for c in self.converters)

    def available(self) -> bool:
        return any(c.available() for c in self.converters)

    def convert(self, docx: bytes) -> bytes:
        converter = self._free.get()
        try:
            return converter.convert(docx)
        finally:
            self._free.put(converter)

    def close(self) -> None:
        for converter in self.converters:
            converter.close()

    def __enter__(self) -> UnoserverPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
