"""The stop request: the first signal stops everything once; later ones change nothing."""

import signal

from worker.lifecycle import Shutdown


def test_the_first_signal_runs_the_stop_callbacks_once_and_later_ones_are_ignored():
    shutdown = Shutdown()
    told: list[str] = []
    shutdown.on_request(lambda: told.append("api"))
    assert not shutdown.requested
    shutdown.handle_signal(signal.SIGTERM, None)
    shutdown.handle_signal(signal.SIGINT, None)
    shutdown.request("code")
    assert shutdown.requested and shutdown.event.is_set()
    assert told == ["api"]


def test_a_failing_callback_does_not_keep_the_others_from_running():
    shutdown = Shutdown()
    told: list[str] = []

    def broken() -> None:
        raise RuntimeError("child already gone")

    shutdown.on_request(broken)
    shutdown.on_request(lambda: told.append("redis"))
    shutdown.request("test")
    assert told == ["redis"]
