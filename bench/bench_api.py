"""Latency of the finance API with many invoices: the real `dunning api` (uvicorn) on loopback, C concurrent clients.

    python bench/bench_api.py --invoices 100000 --concurrency 32                    # SQLite in a temp folder
    python bench/bench_api.py --invoices 100000 --concurrency 32 --api-workers 2 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres        # a fresh database on that server

Seeds one business with N invoices in bulk (bench/api_data.py; plus a second business of N/10 so the queries
must pick the caller's rows), starts `python -m worker.cli api --workers W` (W: `--api-workers`, default 1) on a
free loopback port, and lets C clients (httpx, asyncio) each walk: `GET /invoices` (first page), the next two pages
by the `X-Next-Cursor` header, `GET /reports/ageing`, `GET /invoices/{id}` of a random invoice,
`GET /invoices?status=open` and the ageing per debtor; until `--requests` have been made (bounded in count and by
`--max-seconds`). The last line of stdout is JSON: backend, invoices, concurrency, api_workers, requests, p50_ms,
p99_ms, per_s, the API processes' CPU per request, and the same figures per route.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_data import seed  # noqa: E402
from worker.db.migrate import upgrade  # noqa: E402

ROUTES = ("invoices_first", "invoices_next", "ageing", "invoice_detail", "invoices_open", "ageing_debtors")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _database(url: str | None, folder: Path):
    """SQLite in `folder`, or a fresh database on the PostgreSQL server of `url`, dropped afterwards."""
    if url is None:
        yield f"sqlite:///{folder / 'dunning.db'}"
        return
    name = f"bench_api_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _prepare(url: str, invoices: int) -> tuple[str, list[int]]:
    engine = sa.create_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    mine = seed(engine, invoices, name="bench")
    seed(engine, max(1, invoices // 10), name="other")  # another tenant's rows in the same tables
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum would soon: statistics and the visibility map
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"seeded {invoices} invoices in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return mine.api_key, mine.invoice_ids


@contextmanager
def _api(url: str, folder: Path, workers: int):
    port = _free_port()
    env = {**os.environ, "DUNNING_DATABASE_URL": url, "DUNNING_DATA_DIR": str(folder), "DUNNING_API_HOST": "127.0.0.1",
           "DUNNING_API_PORT": str(port), "DUNNING_LOG_LEVEL": "WARNING"}
    log = open(folder / "api.log", "wb")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen([sys.executable, "-m", "worker.cli", "api", "--workers", str(workers)], env=env,
                               cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the API did not start; see {folder / 'api.log'}")
            time.sleep(0.2)
        yield base, process.pid
    except BaseException:
        print((folder / "api.log").read_text(errors="replace")[-3000:], file=sys.stderr)  # why, before it goes
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def _load(base: str, key: str, invoice_ids: list[int], concurrency: int, requests: int,
                max_seconds: float, routes: set[str]) -> tuple[dict[str, list[float]], float]:
    timings: dict[str, list[float]] = {route: [] for route in ROUTES if route in routes}
    budget = {"left": requests}
    deadline = time.monotonic() + max_seconds

    async def timed(client: httpx.AsyncClient, route: str, path: str) -> httpx.Response | None:
        if route not in routes or budget["left"] <= 0 or time.monotonic() > deadline:
            return None
        budget["left"] -= 1
        started = time.perf_counter()
        answer = await client.get(path)
        timings[route].append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
        return answer

    async def client_loop(client: httpx.AsyncClient, rng: random.Random) -> None:
        while budget["left"] > 0 and time.monotonic() < deadline:
            page = await timed(client, "invoices_first", "/invoices")
            if page is None and "invoices_first" in routes:
                break
            for _ in range(2):
                cursor = page.headers.get("x-next-cursor") if page is not None else None
                if cursor is None:
                    break
                page = await timed(client, "invoices_next", f"/invoices?cursor={cursor}")
            await timed(client, "ageing", "/reports/ageing")
            await timed(client, "invoice_detail", f"/invoices/{rng.choice(invoice_ids)}")
            await timed(client, "invoices_open", "/invoices?status=open&limit=100")
            await timed(client, "ageing_debtors", "/reports/ageing/debtors")

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits, timeout=60) as client:
        await client.get("/invoices?limit=1")  # warm: imports, the key's first use recorded
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client, random.Random(n)) for n in range(concurrency)))
        elapsed = time.perf_counter() - started
    return timings, elapsed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live child processes (the API's workers; Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that just ended
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _figures(values: list[float], elapsed: float) -> dict[str, float | int]:
    if not values:
        return {"requests": 0}
    ordered = sorted(values)
    return {"requests": len(values), "p50_ms": round(statistics.median(ordered), 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
            "per_s": round(len(values) / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000, help="total requests (all routes)")
    parser.add_argument("--max-seconds", type=float, default=300, help="stop sending after this long")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server to create a fresh database on")
    parser.add_argument("--api-workers", type=int, default=1, help="API worker processes (`dunning api --workers`)")
    parser.add_argument("--routes", default=",".join(ROUTES), help=f"which of {', '.join(ROUTES)} to call "
                        "(invoices_next follows invoices_first's cursor, so it needs it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        folder = Path(tmp)
        with _database(args.database_url, folder) as url:
            key, invoice_ids = _prepare(url, args.invoices)
            with _api(url, folder, args.api_workers) as (base, pid):
                cpu_before = _cpu_seconds(pid)
                timings, elapsed = asyncio.run(_load(base, key, invoice_ids, args.concurrency, args.requests,
                                                     args.max_seconds, set(args.routes.split(","))))
                cpu = _cpu_seconds(pid) - cpu_before
    every = [t for values in timings.values() for t in values]
    result = {"backend": "postgresql" if args.database_url else "sqlite", "invoices": args.invoices,
              "routes_called": args.routes,
              "concurrency": args.concurrency, "api_workers": args.api_workers, **_figures(every, elapsed),
              # The API processes' own CPU per request: what a core allows, whatever else the machine runs.
              "api_cpu_ms_per_request": round(cpu * 1000 / max(1, len(every)), 2),
              "routes": {route: _figures(values, elapsed) for route, values in timings.items()}}
    for route, figures in result["routes"].items():
        print(f"{route:16} {figures}", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
