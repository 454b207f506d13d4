"""How long one dunning tick takes with N open invoices of which a share S has a step due now.

    python bench/bench_tick.py --invoices 100000 --due-share 0.01
    python bench/bench_tick.py --invoices 1000000 --due-share 0 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Seeds a fresh database (SQLite in a temporary folder, or a PostgreSQL database it creates and drops) in bulk:
one business, a debtor per five invoices, invoices due in a month (nothing due) except every 1/S-th, due two
days ago (its reminder is due now; each in its own debtor). The moments are set as the incremental path would:
by the backstop `recompute_next_actions` (its time is reported as `backstop_s`). Then ONE real `run_tick` is
timed (sends are only collected), with its SQL statement count, and the candidate query alone (`floor_s`);
`next_ticks_median_s` is the median of five more ticks at the same moment (nothing left due, warm).
`--decide-only` records nothing (the letters' rendering is left out). The last line is JSON.
"""

import argparse
import json
import secrets
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import Invoice
from worker.db.session import make_engine, make_session_factory
from worker.usecases import tick as tick_module
from worker.usecases.next_actions import recompute_next_actions
from worker.usecases.tick import BATCH, run_tick

NOW = datetime(2027, 1, 5, 9, tzinfo=UTC)  # a Tuesday, 10:00 in Amsterdam: the sending window is open
TODAY = date(2027, 1, 5)
LETTERS = LetterSettings("invoices@service.test", "service.test", None)
PER_DEBTOR = 5

_NUMBERS = "WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < :rows) "


def _dates(dialect: str) -> tuple[str, str]:
    """SQL for the due and issue dates of invoice `g` (due now when g is a multiple of :every)."""
    offset = "(CASE WHEN :every > 0 AND g % :every = 0 THEN -2 ELSE 30 + g % 20 END)"
    if dialect == "sqlite":
        return f"date(:today, {offset} || ' days')", f"date(:today, ({offset} - 30) || ' days')"
    return f"CAST(:today AS date) + {offset}", f"CAST(:today AS date) + {offset} - 30"


def seed(engine: sa.Engine, invoices: int, due_share: float) -> int:
    """Bulk-insert one business, its debtors and invoices; returns how many invoices are due now."""
    every = round(1 / due_share) if due_share > 0 else 0
    dialect = engine.dialect.name
    stamp = ("'2026-12-01 00:00:00.000000'" if dialect == "sqlite"
             else "CAST('2026-12-01T00:00:00+00:00' AS timestamptz)")
    due, issue = _dates(dialect)
    # the debtor of a due invoice gets no other due invoice: each due invoice is its own message
    debtors = -(-invoices // PER_DEBTOR)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO businesses (id, name, sender_allowlist, retired_ingest_addresses, from_address, from_name, "
            "language, timezone, settings, api_key_hash, created_at) VALUES (1, 'Bench', '[]', '[]', "
            f"'billing@bench.example', 'Bench', 'nl', 'Europe/Amsterdam', '{{}}', 'h', {stamp})"))
        conn.execute(sa.text(
            _NUMBERS + "INSERT INTO debtors (id, business_id, contact_email, name, created_at, contact_undeliverable, "
            f"is_consumer, offline, email_consent) SELECT g, 1, 'd' || g || '@klant.example', 'Klant ' || g, {stamp}, "
            "false, false, false, false FROM n"), {"rows": debtors})
        conn.execute(sa.text(
            _NUMBERS + "INSERT INTO invoices (id, business_id, debtor_id, number, issue_date, due_date, currency, "
            "amount_due, amount_paid, status, reply_token, parsed, created_at) SELECT g, 1, "
            f"1 + ((g - 1) / {PER_DEBTOR}), 'F-' || g, {issue}, {due}, 'EUR', 121.00, 0, 'open', 't' || g, '{{}}', "
            f"{stamp} FROM n"), {"rows": invoices, "every": every, "today": TODAY.isoformat()})
        if dialect == "postgresql":
            for table in ("businesses", "debtors", "invoices"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))"))
            conn.execute(sa.text("ANALYZE"))
    return invoices // every if every else 0


def _database(url: str | None, folder: Path) -> tuple[str, str | None]:
    """The database to bench in, and (PostgreSQL) its name to drop afterwards."""
    if url is None:
        return f"sqlite:///{folder / 'bench.db'}", None
    name = f"bench_tick_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return str(sa.make_url(url).set(database=name).render_as_string(hide_password=False)), name


def _drop(url: str, name: str) -> None:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def run(invoices: int, due_share: float, url: str | None, decide_only: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        bench_url, created = _database(url, Path(folder))
        try:
            engine = make_engine(bench_url)
            upgrade(engine)
            started = time.perf_counter()
            due = seed(engine, invoices, due_share)
            seed_s = time.perf_counter() - started
            sessions = make_session_factory(engine)
            started = time.perf_counter()
            recompute_next_actions(sessions, NOW)
            backstop_s = time.perf_counter() - started
            if engine.dialect.name == "postgresql":  # the steady state: the backstop's dead rows vacuumed
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("VACUUM ANALYZE invoices"))
            with engine.connect() as conn:
                ready = conn.execute(sa.select(sa.func.count()).where(Invoice.next_action_at <= NOW)).scalar_one()
            started = time.perf_counter()
            with engine.connect() as conn:  # the floor: the candidate query alone
                conn.execute(sa.select(Invoice.id).where(Invoice.next_action_at <= NOW)
                             .order_by(Invoice.next_action_at).limit(BATCH)).all()
            floor_s = time.perf_counter() - started
            statements = [0]
            sa.event.listen(engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1))
            sent: list[int] = []
            if decide_only:
                tick_module.record_group = lambda *args, **kwargs: None  # type: ignore[assignment]
            started = time.perf_counter()
            report = run_tick(sessions, NOW, LETTERS, lambda oid, _claim_expired: sent.append(oid))
            tick_s = time.perf_counter() - started
            counted = statements[0]
            again = []  # the ticks after it (nothing left due): the steady state, without first-use costs
            for _ in range(5):
                started = time.perf_counter()
                run_tick(sessions, NOW, LETTERS, lambda oid, _claim_expired: None)
                again.append(time.perf_counter() - started)
            engine.dispose()
            return {"backend": engine.dialect.name, "invoices": invoices, "due_share": due_share, "due": due,
                    "ready": ready, "decide_only": decide_only, "tick_s": round(tick_s, 4),
                    "statements": counted, "recorded": len(report.recorded), "enqueued": len(sent),
                    "floor_s": round(floor_s, 4),
                    "next_ticks_median_s": round(statistics.median(again), 4), "seed_s": round(seed_s, 1),
                    "backstop_s": round(backstop_s, 1)}
        finally:
            if created is not None and url is not None:
                _drop(url, created)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--due-share", type=float, default=0.0)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server to create a database on")
    parser.add_argument("--decide-only", action="store_true", help="decide but record nothing (no letters)")
    args = parser.parse_args()
    print(json.dumps(run(args.invoices, args.due_share, args.database_url, args.decide_only)))


if __name__ == "__main__":
    main()
