"""rq job: send one recorded outbox message (and a batch of other due ones); a row left pending returns an rq
Retry for its next attempt."""

from rq import Retry

from worker.composition import current
from worker.domain.retry_schedule import RetrySchedule
from worker.jobs.queue import retry_at
from worker.usecases.delivery_failures import escalate_failures, next_attempt_at
from worker.usecases.send import send_batch

# Rows one job claims, checks, renders, sends and records together: the per-letter cost of transactions and
# look-ups is shared. Their own jobs, when they run, find them sent. Kept small: on SQLite the claim holds the
# one write lock while the batch is checked.
SEND_BATCH = 10


def send_letter(outbound_id: int) -> str | Retry:
    container = current()
    now = container.clock()
    waiting_until = next_attempt_at(container.sessions, outbound_id)
    if waiting_until is not None and waiting_until > now:
        # Deferred or retried by another job's batch after this job was queued: wait for its time, as that
        # job would have had this one wait.
        return retry_at(waiting_until, now)
    statuses = send_batch(container.sessions, container.sender, outbound_id, now,
                          RetrySchedule(attempts=container.settings.send_attempts),
                          copies=container.sent_copies(), letters=container.letter_settings,
                          rate=container.send_rate(), size=SEND_BATCH)
    for oid, status in statuses.items():
        if status == "failed":  # told at once; the tick's sweep catches it if this worker dies first
            escalate_failures(container.sessions, now, container.letter_settings(), oid)
    status = statuses[outbound_id]
    if status == "pending":  # deferred or retrying: the same job runs again then (the sweep too, if Redis lost it)
        # The batch's other rows left pending are enqueued again by the tick's sweep once due.
        at = next_attempt_at(container.sessions, outbound_id)
        if at is not None:
            return retry_at(at, now)
    return status
