"""rq job: read one invoice import line by line; without a running rq worker the caller runs it in-process."""

from worker.composition import Container, current
from worker.jobs.queue import queue
from worker.usecases.imports import run_import

JOB = "worker.jobs.import_invoices.import_invoices_job"


def job_id(import_id: int) -> str:
    return f"import-invoices-{import_id}"


def import_invoices_job(import_id: int) -> str:
    container = current()
    return run_import(container.sessions, import_id, now=container.clock,
                      service_address=container.settings.service_address).status


def hand_to_rq(container: Container, import_id: int) -> bool:
    """Enqueue the import when an rq worker listens (True); False: the caller runs it itself, as an ingest pass
    does without workers (a job nobody takes would leave the import queued for ever)."""
    if container.redis is None:
        return False
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        if Worker.count(queue=queue(container.redis)) == 0:
            return False
        # A 50 000-row CSV takes minutes; the row records every line, so a lost result loses nothing.
        queue(container.redis).enqueue(JOB, import_id, job_id=job_id(import_id), job_timeout=4 * 3600,
                                       result_ttl=600, failure_ttl=7 * 86400)
    except RedisError:
        return False
    return True


def run_here(container: Container, import_id: int) -> None:
    """The import in this process (no rq worker): the same use case, the same clock."""
    run_import(container.sessions, import_id, now=container.clock,
               service_address=container.settings.service_address)
