"""How long one /metrics scrape takes against a PostgreSQL outbox, inbox and invoice table of a given size.

    python bench/metrics_scrape.py postgresql+psycopg://postgres@127.0.0.1:5432/postgres --rows 100000

Creates (and drops) its own database, fills it with generate_series, and times the collector.
"""

import argparse
import secrets
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from worker.db.migrate import upgrade
from worker.db.session import make_engine, make_session_factory
from worker.metrics import DunningCollector

FILL = """
INSERT INTO businesses (name, sender_allowlist, retired_ingest_addresses, from_address, from_name, language,
                        timezone, settings, api_key_hash, created_at)
SELECT 'b' || g, '[]', '[]', 'b' || g || '@x.example', 'B', 'nl', 'Europe/Amsterdam', '{}', md5(g::text), now()
FROM generate_series(1, :businesses) g;
INSERT INTO debtors (business_id, contact_email, created_at, contact_undeliverable, is_consumer, offline,
                     email_consent)
SELECT 1 + g % :businesses, 'd' || g || '@x.example', now(), false, false, false, false
FROM generate_series(1, :rows / 10) g;
INSERT INTO invoices (business_id, debtor_id, number, status, reply_token, parsed, created_at, amount_paid)
SELECT 1 + g % :businesses, 1 + g % (:rows / 10), 'F-' || g,
       (ARRAY['open','paid','paused','review','handed_off'])[1 + g % 5], 't' || g, '{}', now(), 0
FROM generate_series(1, :rows) g;
INSERT INTO inbound_messages (message_key, business_id, raw, kind, status, received_at)
SELECT '<' || g || '@x>', 1 + g % :businesses, 'x', (ARRAY['invoice','reply','bounce', NULL])[1 + g % 4],
       (ARRAY['processed','processed','processed','quarantined'])[1 + g % 4], now() - g * interval '1 minute'
FROM generate_series(1, :rows) g;
INSERT INTO outbound_messages (business_id, invoice_id, step, message_id, to_addresses, cc_addresses, subject,
                               raw, status, attempts, created_at, sent_at)
SELECT 1 + g % :businesses, g, (ARRAY['reminder_1','reminder_2','notice_of_default'])[1 + g % 3], '<o' || g || '@x>',
       '[]', '[]', 's', 'x', (ARRAY['sent','sent','sent','failed','pending'])[1 + g % 5], 1,
       now() - interval '2 days', now() - interval '2 days' + (g % 7200) * interval '1 second'
FROM generate_series(1, :rows) g;
ANALYZE;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("postgres_url")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--businesses", type=int, default=500)
    parser.add_argument("--scrapes", type=int, default=10)
    args = parser.parse_args()
    admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
    name = f"dunning_bench_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(sa.make_url(args.postgres_url).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        with engine.begin() as connection:
            for statement in filter(str.strip, FILL.split(";")):
                connection.execute(sa.text(statement), {"rows": args.rows, "businesses": args.businesses})
        collector = DunningCollector(make_session_factory(engine), engine, None, lambda: datetime.now(UTC))
        timings = []
        for _ in range(args.scrapes):
            started = time.perf_counter()
            families = list(collector.collect())
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{args.rows} invoices, inbound and outbound rows, {args.businesses} businesses: "
              f"{len(families)} metric families, scrape median {statistics.median(timings):.0f} ms, "
              f"max {max(timings):.0f} ms over {args.scrapes} scrapes")
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
