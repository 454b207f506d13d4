"""Run a duty in this process only while it holds the duty's lease; stand by and retry otherwise."""

import logging
import threading
from collections.abc import Callable

from worker.leases import Lease

log = logging.getLogger(__name__)

# A standby asks again this often, so a successor takes over within seconds of the holder's death.
RETRY_SECONDS = 5.0

Duty = Callable[[threading.Event, Callable[[], bool]], None]


def serve_while_elected(lease: Lease, duty: Duty, stop: threading.Event, *,
                        retry_seconds: float = RETRY_SECONDS) -> None:
    """Loop until `stop`: take the lease when free, run `duty(stop, holds)` while holding it, then release it.

    `duty` must return soon after `stop` is set or `holds()` turns False; it checks `holds()` before each pass.
    """
    standby_logged: str | None = ""
    while not stop.is_set():
        try:
            acquired = lease.acquire()
        except Exception:  # e.g. the lock file's folder is not writable: say so, keep trying
            log.exception("%s: could not ask for the lease", lease.name)
            acquired = False
        if not acquired:
            holder = lease.holder()
            if holder != standby_logged:  # one line per change of holder, not one per retry
                log.info("%s: standing by; the lease is held by %s", lease.name, holder or "another process")
                standby_logged = holder
            stop.wait(retry_seconds)
            continue
        log.info("%s: this process holds the lease and runs it", lease.name)
        standby_logged = ""

        def holds() -> bool:
            return not stop.is_set() and lease.held()

        try:
            duty(stop, holds)
        except Exception:
            log.exception("%s: the duty failed; releasing the lease", lease.name)
        finally:
            lease.release()
        if stop.is_set():
            log.info("%s: lease released (stopping)", lease.name)
        else:
            log.warning("%s: lease lost; standing by", lease.name)
            stop.wait(retry_seconds)


def start_elected(lease: Lease, duty: Duty, stop: threading.Event, name: str) -> threading.Thread:
    # Daemon: a duty blocked in a long IMAP IDLE must not hold the process open once everything else stopped.
    thread = threading.Thread(target=serve_while_elected, args=(lease, duty, stop), name=name, daemon=True)
    thread.start()
    return thread
