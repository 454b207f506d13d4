"""Prometheus collector: the service's numbers read at scrape time from the database and Redis.

Every process (API, any number of workers) may expose it and all report the same figures, because they
come from the system of record rather than from counters kept in one process's memory. A scrape costs five
aggregate queries and one Redis round trip, whatever the number of businesses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from worker.db.models import InboundMessage, Invoice, OutboundMessage
from worker.domain.status import InvoiceStatus
from worker.jobs.queue import queue
from worker.logs import get_logger
from worker.tick_stats import KEY as TICK_KEY
from worker.tick_stats import tick_stats

log = get_logger(__name__)

# Seconds from recording a message to the SMTP server's acceptance: the first send is immediate, then the
# retries of worker.jobs.queue.SEND_RETRY (1, 5, 15, 60 minutes), and the sending window can add a night.
SEND_LATENCY_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0, 16 * 3600.0, 86400.0, 3 * 86400.0)
# Outbox rows whose step is a notice to the business itself rather than a letter to a debtor.
NOTICE_PREFIX = "notice:"
# Series that exist from the first scrape, at 0, so alerts and the black-box probe see them before any mail.
INBOUND_STATUSES = ("stored", "processed", "quarantined", "failed")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "to_print", "cancelled", "rerouted")
NO_KIND = "none"  # not (yet) classified: stored, or quarantined before its kind was known


def _seconds_between(engine: Engine, start: InstrumentedAttribute[Any], end: InstrumentedAttribute[Any]
                     ) -> ColumnElement[Any]:
    if engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0  # SQLite keeps timestamps as text


class DunningCollector(Collector):
    """Reads the outbox, inbox, invoices and rq's queue when Prometheus scrapes."""

    def __init__(self, sessions: sessionmaker[Session], engine: Engine, redis: Redis | None,
                 clock: Callable[[], datetime], tick_interval_seconds: int | None = None) -> None:
        self.sessions, self.engine, self.redis, self.clock = sessions, engine, redis, clock
        self.tick_interval_seconds = tick_interval_seconds

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("dunning_metrics_source_up", "1 when the source answered this scrape.",
                               labels=["source"])
        try:
            yield from self._database()
            up.add_metric(["database"], 1)
        except SQLAlchemyError as exc:
            log.warning("metrics_database_failed", error=str(exc))
            up.add_metric(["database"], 0)
        if self.redis is not None:
            try:
                yield from self._redis(self.redis)
                up.add_metric(["redis"], 1)
            except RedisError as exc:
                log.warning("metrics_redis_failed", error=str(exc))
                up.add_metric(["redis"], 0)
        yield up
        if self.tick_interval_seconds:  # so an alert can say "no tick in 3 intervals" without a constant
            yield GaugeMetricFamily("dunning_tick_interval_seconds", "The configured time between ticks.",
                                    value=self.tick_interval_seconds)

    def _database(self) -> Iterator[Metric]:
        now = self.clock()
        with self.sessions() as session:
            inbound = session.execute(select(InboundMessage.status, InboundMessage.kind, func.count())
                                      .group_by(InboundMessage.status, InboundMessage.kind)).all()
            oldest = session.scalar(select(func.min(InboundMessage.received_at))
                                    .where(InboundMessage.status == "stored"))
            invoices = session.execute(select(Invoice.status, func.count()).group_by(Invoice.status)).all()
            outbound = session.execute(select(OutboundMessage.status, OutboundMessage.step, func.count())
                                       .group_by(OutboundMessage.status, OutboundMessage.step)).all()
            latency = _seconds_between(self.engine, OutboundMessage.created_at, OutboundMessage.sent_at)
            histogram = session.execute(select(
                func.count(), func.coalesce(func.sum(latency), 0.0),
                *(func.coalesce(func.sum(case((latency <= bound, 1), else_=0)), 0) for bound in SEND_LATENCY_BUCKETS),
            ).where(OutboundMessage.status == "sent", OutboundMessage.sent_at.is_not(None))).one()

        messages = CounterMetricFamily("dunning_inbound_messages", "Messages that reached the service mailbox, "
                                       "by outcome (stored, processed, quarantined, failed) and kind.",
                                       labels=["status", "kind"])
        counts = {(status, NO_KIND): 0 for status in INBOUND_STATUSES}
        for status, kind, count in inbound:
            counts[(status, kind or NO_KIND)] = counts.get((status, kind or NO_KIND), 0) + count
        for labels, count in sorted(counts.items()):
            messages.add_metric(list(labels), count)
        yield messages
        quarantined = sum(count for status, _, count in inbound if status == "quarantined")
        yield GaugeMetricFamily("dunning_quarantine_messages", "Inbound messages waiting in quarantine for a "
                                "person (GET /review, GET /admin/quarantine).", value=quarantined)
        age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        yield GaugeMetricFamily("dunning_inbound_oldest_unprocessed_age_seconds", "Age of the oldest message "
                                "stored but not yet processed (0 when none waits).", value=age)

        by_status = GaugeMetricFamily("dunning_invoices", "Invoices by status.", labels=["status"])
        for status, count in sorted({**{s.value: 0 for s in InvoiceStatus}, **dict(invoices)}.items()):
            by_status.add_metric([status], count)
        yield by_status

        sent = CounterMetricFamily("dunning_reminders_sent", "Outgoing messages the SMTP server accepted, by step "
                                   "(notices to a business have steps named notice:...).", labels=["step"])
        failed = CounterMetricFamily("dunning_reminders_failed", "Outgoing messages that failed for good, by step.",
                                     labels=["step"])
        outbox = GaugeMetricFamily("dunning_outbox_messages", "Outbox rows by status (pending, sending, sent, "
                                   "failed, to_print, ...).", labels=["status"])
        rendered = CounterMetricFamily("dunning_letters_rendered", "Letters rendered into the outbox, notices to "
                                       "businesses not counted; rate() of it is letters per second.")
        statuses = dict.fromkeys(OUTBOX_STATUSES, 0)
        letters = 0
        for status, step, count in outbound:
            statuses[status] = statuses.get(status, 0) + count
            letters += 0 if step.startswith(NOTICE_PREFIX) else count
            if status == "sent":
                sent.add_metric([step], count)
            elif status == "failed":
                failed.add_metric([step], count)
        for status, count in sorted(statuses.items()):
            outbox.add_metric([status], count)
        rendered.add_metric([], letters)
        yield from (sent, failed, outbox, rendered)

        count, total, *cumulative = histogram
        buckets = [(str(b), int(c)) for b, c in zip(SEND_LATENCY_BUCKETS, cumulative, strict=True)]
        yield HistogramMetricFamily("dunning_send_latency_seconds", "Time from recording an outgoing message to "
                                    "the SMTP server accepting it, over every sent message.",
                                    buckets=[*buckets, ("+Inf", int(count))], sum_value=float(total))

    def _redis(self, redis: Redis) -> Iterator[Metric]:
        rq = queue(redis)
        registries = {"queued": None, "started": rq.started_job_registry, "scheduled": rq.scheduled_job_registry,
                      "deferred": rq.deferred_job_registry, "failed": rq.failed_job_registry}
        with redis.pipeline(transaction=False) as pipe:
            pipe.llen(rq.key)
            for registry in list(registries.values())[1:]:
                pipe.zcard(registry.key)  # type: ignore[union-attr]  # ZCARD: rq's count() would clean up first
            pipe.hgetall(TICK_KEY)
            *depths, tick = pipe.execute()
        jobs = GaugeMetricFamily("dunning_queue_jobs", "Jobs in the rq queue and its registries.",
                                 labels=["queue", "state"])
        for state, depth in zip(registries, depths, strict=True):
            jobs.add_metric([rq.name, state], depth)
        yield jobs
        stats = tick_stats(tick)
        if stats is not None:
            yield GaugeMetricFamily("dunning_tick_duration_seconds", "How long the last finished tick took.",
                                    value=stats.duration_seconds)
            yield GaugeMetricFamily("dunning_tick_last_finished_timestamp_seconds", "Unix time the last tick "
                                    "finished.", value=stats.finished_at)
            yield CounterMetricFamily("dunning_ticks", "Ticks finished (since Redis last lost its data).",
                                      value=stats.ticks)
