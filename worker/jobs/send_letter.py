"""rq job: send one recorded outbox message; a row left pending returns an rq Retry for its next attempt."""

from rq import Retry

from worker.composition import current
from worker.domain.retry_schedule import RetrySchedule
from worker.jobs.queue import retry_at
from worker.usecases.delivery_failures import escalate_failures, next_attempt_at
from worker.usecases.send import send_outbound


def send_letter(outbound_id: int) -> str | Retry:
    container = current()
    now = container.clock()
    status = send_outbound(container.sessions, container.sender, outbound_id, now,
                           RetrySchedule(attempts=container.settings.send_attempts),
                           copies=container.sent_copies(), letters=container.letter_settings,
                           rate=container.send_rate())
    if status == "failed":  # told at once; the tick's sweep catches it if this worker dies first
        escalate_failures(container.sessions, now, container.letter_settings(), outbound_id)
    elif status == "pending":  # deferred or retrying: the same job runs again then (the sweep too, if Redis lost it)
        at = next_attempt_at(container.sessions, outbound_id)
        if at is not None:
            return retry_at(at, now)
    return status
