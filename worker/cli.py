"""The `dunning` command: run the service, its parts, and the staff tools."""

import argparse
import functools
import json
import logging
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, time
from pathlib import Path

from worker.clock import utcnow
from worker.config import ConfigurationError, Settings, load_settings

log = logging.getLogger("worker.cli")


def _parse_now(value: str | None) -> datetime:
    """`--now 2027-01-31` means that day at 10:00 Amsterdam time (inside the sending window); full ISO
    timestamps are taken as given (UTC when they carry no zone)."""
    if not value:
        return utcnow()
    if len(value) == 10:
        from zoneinfo import ZoneInfo

        return datetime.combine(datetime.fromisoformat(value).date(), time(10), ZoneInfo("Europe/Amsterdam"))
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _container(settings: Settings, *, migrate: bool = True):  # type: ignore[no-untyped-def]
    from worker.composition import build_container, install
    from worker.db.migrate import upgrade

    container = build_container(settings)
    if migrate:
        upgrade(container.engine)
    install(container)
    from worker.jobs.webhook_delivery import watch as watch_webhook_events

    watch_webhook_events(container)  # every process whose flushes make events writes their webhook deliveries
    return container


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    _container(settings)
    print(f"database at the newest schema: {settings.effective_database_url.split('@')[-1]}")
    return 0


def cmd_parse_invoice(args: argparse.Namespace, settings: Settings) -> int:
    from parsers.invoice import InvoiceDocumentError, parse_invoice_document

    path = Path(args.file)
    try:
        parsed = parse_invoice_document(path.read_bytes(), path.name)
    except OSError as exc:
        print(f"{path}: cannot read the file: {exc.strerror}", file=sys.stderr)
        return 2
    except InvoiceDocumentError as exc:
        print(f"{path.name}: {exc.reason}", file=sys.stderr)
        return 1
    print(json.dumps(parsed.to_json(), indent=2, ensure_ascii=False))
    return 0


def cmd_business_create(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.businesses import SenderListRejected, create_business

    container = _container(settings)
    try:
        with container.sessions.begin() as session:
            business, api_key = create_business(
                session, name=args.name, senders=args.sender, from_address=args.from_address,
                service_address=settings.service_address, from_name=args.from_name, iban=args.iban,
                ingest_address=args.ingest_address, language=args.language, now=utcnow())
            business_id, ingest_address = business.id, business.ingest_address
    except SenderListRejected as exc:
        print(f"business not created: {exc}", file=sys.stderr)
        return 1
    print(f"business {business_id} created: {args.name}")
    print(f"API key (shown once, keep it safe): {api_key}")
    print(f"Ingest address: {ingest_address}")
    print("BCC every outgoing invoice to the ingest address; keep it secret (it proves the mail is yours).")
    return 0


def cmd_business_rotate_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.businesses import find_business, rotate_ingest_address

    container = _container(settings)
    with container.sessions.begin() as session:
        business = find_business(session, args.business)
        if business is None:
            print(f"no business {args.business!r}", file=sys.stderr)
            return 1
        address = rotate_ingest_address(session, business, settings.service_address)
    print(f"Ingest address: {address}")
    print("The old address no longer counts: mail sent to it is quarantined. Update the business's BCC.")
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from worker.runtime import ingest_pass

    # The messages are parsed in parallel, one forked process per core.
    report = ingest_pass(_container(settings.model_copy(update={"warm_pdf": False})), workers=os.cpu_count() or 1)
    for o in report.outcomes:
        print(json.dumps({"inbound_id": o.inbound_id, "status": o.status, "kind": o.kind, "reason": o.reason}))
    return 0


def cmd_tick(args: argparse.Namespace, settings: Settings) -> int:
    """Decide at `--now` and send what is due right here, so a moved clock shows its letters at once."""
    settings = settings.model_copy(update={"warm_pdf": False})  # a one-shot command: warming up costs more
    from worker.usecases.send import send_outbound
    from worker.usecases.tick import run_tick

    container = _container(settings)
    now = _parse_now(args.now)
    to_send: list[int] = []
    report = run_tick(container.sessions, now, container.letter_settings(), lambda oid, _attempt: to_send.append(oid))
    statuses = {oid: send_outbound(container.sessions, container.sender, oid, now) for oid in to_send}
    print(json.dumps({"now": now.isoformat(), "recorded": report.recorded, "sent": statuses,
                      "handed_off": report.handed_off, "failed": report.failed}, indent=2))
    return 0


def cmd_recompute(args: argparse.Namespace, settings: Settings) -> int:
    """The daily backstop by hand: every live invoice's next moment computed afresh (the tick's index)."""
    from worker.usecases.next_actions import recompute_next_actions

    container = _container(settings)
    now = _parse_now(args.now)
    print(json.dumps({"now": now.isoformat(), "changed": recompute_next_actions(container.sessions, now)}))
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    """The retention purge by hand: inbound messages' raw bytes older than the retention period are emptied."""
    from worker.usecases.privacy_retention import purge_raw_messages

    container = _container(settings)
    days = args.days if args.days is not None else settings.raw_message_retention_days
    if days < 1:
        print("--days must be 1 or more", file=sys.stderr)
        return 2
    now = _parse_now(args.now or None)
    print(json.dumps(purge_raw_messages(container.sessions, retention_days=days, now=now)))
    return 0


def cmd_classify_message(args: argparse.Namespace, settings: Settings) -> int:
    from worker.usecases.classify import classify_message

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        print(f"{path}: cannot read the file: {exc.strerror}", file=sys.stderr)
        return 2
    today = date.fromisoformat(args.today) if args.today else utcnow().date()
    print(json.dumps(classify_message(raw, today), indent=2, ensure_ascii=False, default=str))
    return 0


def cmd_collection_costs(args: argparse.Namespace, settings: Settings) -> int:
    from worker.domain.law.commands import collection_costs_command

    today = date.fromisoformat(args.on) if args.on else utcnow().date()
    print(json.dumps(collection_costs_command(args.amount, args.consumer, today), indent=2))
    return 0


def cmd_interest(args: argparse.Namespace, settings: Settings) -> int:
    from worker.domain.law.commands import interest_command

    result = interest_command(args.amount, date.fromisoformat(args.start), date.fromisoformat(args.end),
                              args.consumer)
    print(json.dumps(result, indent=2))
    return 0


def _start_background(container, stop: threading.Event, *, ticks: bool, watch: bool) -> list[threading.Thread]:  # type: ignore[no-untyped-def]
    """The elected duties: each waits for its lease, so any number of processes may run them."""
    from worker.elected import start_elected
    from worker.leases import lease_for
    from worker.runtime import schedule_ticks, watch_mailbox

    settings = container.settings
    threads = []
    for wanted, name, duty in ((watch, "mailbox-watcher", watch_mailbox), (ticks, "scheduler", schedule_ticks)):
        if wanted:
            lease = lease_for(settings.effective_database_url, settings.data_dir, name)
            threads.append(start_elected(lease, functools.partial(duty, container), stop, name))
    return threads


def _work(redis_url: str, shutdown) -> None:  # type: ignore[no-untyped-def]
    from worker.jobs.worker_loop import work_until_stopped

    if not shutdown.requested:
        work_until_stopped(redis_url, shutdown)


def _with_redis(settings: Settings) -> tuple[Settings, object]:
    """Settings with a Redis URL: the configured one, or an embedded redis-server started here."""
    if settings.redis_url:
        return settings, None
    from worker import embedded_redis

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url, process = embedded_redis.start(settings.data_dir)
    return settings.model_copy(update={"redis_url": url}), process


def _stop_in_order(shutdown, threads: list[threading.Thread], container, api, redis_process) -> None:  # type: ignore[no-untyped-def]
    """Everything this process started, in an order that leaves no traceback and no orphan: the job loop has
    ended; the elected threads stop (before Redis goes away); the API child, already told, is waited for; then
    this process's LibreOffice, then the embedded Redis."""
    from worker import embedded_redis
    from worker.lifecycle import stop_child

    shutdown.request()
    shutdown.install()  # rq's handlers would turn a second signal into SystemExit in the middle of this
    for thread in threads:
        # The scheduler ends within a second; a watcher blocked in IMAP IDLE is a daemon that touches neither
        # Redis nor the database until it wakes and sees the stop, so it is not waited for long.
        thread.join(timeout=2)
    if api is not None:
        stop_child(api, "API", timeout=8)
    if container is not None:
        container.close()
    embedded_redis.stop(redis_process)  # type: ignore[arg-type]
    log.info("stopped")


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from worker.lifecycle import Shutdown

    shutdown = Shutdown()
    shutdown.install()
    settings, redis_process = _with_redis(settings)
    container, threads = None, []
    try:
        container = _container(settings)
        threads = _start_background(container, shutdown.event, ticks=not args.no_ticks, watch=not args.no_ingest)
        _work(str(settings.redis_url), shutdown)
    finally:
        _stop_in_order(shutdown, threads, container, None, redis_process)
    return 0


def _serve_api(container, host: str, port: int):  # type: ignore[no-untyped-def]
    import uvicorn

    from worker.api.app import create_app

    # A bounded graceful shutdown: open keep-alive connections must not hold a SIGTERM past the 10 s budget.
    return uvicorn.Server(uvicorn.Config(create_app(container), host=host, port=port, log_level="info",
                                        proxy_headers=False,  # the app trusts DUNNING_TRUSTED_PROXIES only
                                        timeout_graceful_shutdown=5,
                                        log_config=None))  # uvicorn's lines go through worker.logs


def cmd_api(args: argparse.Namespace, settings: Settings) -> int:
    from worker.lifecycle import Shutdown

    workers = args.workers or settings.api_workers
    if workers > 1 and args.listen_fd is None:
        from worker.api.workers import serve_workers
        from worker.db.migrate import upgrade
        from worker.db.session import make_engine

        engine = make_engine(settings.effective_database_url)
        upgrade(engine)  # once, here: the workers start on the newest schema and do not race to migrate
        engine.dispose()
        return serve_workers(settings.api_host, settings.api_port, workers)
    # uvicorn re-raises the SIGTERM it shut down on once it has restored the handlers it found; with Python's
    # default ones that kills the process before its LibreOffice is stopped. Ours just note it.
    shutdown = Shutdown()
    shutdown.install()
    container = _container(settings, migrate=args.listen_fd is None)
    try:
        server = _serve_api(container, settings.api_host, settings.api_port)
        if args.listen_fd is None:
            server.run()
        else:  # one of several workers: the socket its parent bound (worker.api.workers)
            import socket

            from worker.api.workers import parent_gone

            # The parent's death signal (or a stop) may come while we start, before uvicorn listens for signals:
            # it is noted by `shutdown`, and the server then stops as soon as it has started.
            shutdown.on_request(lambda: setattr(server, "should_exit", True))
            if parent_gone():
                shutdown.request("the API's parent process is gone")
            server.should_exit = shutdown.requested
            server.run(sockets=[socket.socket(fileno=args.listen_fd)])
    finally:
        container.close()  # the LibreOffice a preview started
    return 0


def _start_api(settings: Settings) -> subprocess.Popen[bytes]:
    import os

    from worker.lifecycle import die_with_parent

    # Its own process group (Ctrl-C reaches only us; we forward one SIGTERM) and the embedded Redis's URL.
    env = {**os.environ, "DUNNING_REDIS_URL": str(settings.redis_url)}
    return subprocess.Popen([sys.executable, "-m", "worker.cli", "api"], env=env, start_new_session=True,
                            preexec_fn=die_with_parent)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """API, worker, mailbox watcher and scheduler on one machine: the API in a child process (its event loop and
    the worker's signal handling stay apart). SIGTERM or Ctrl-C stops all of it, children included."""
    from worker.lifecycle import Shutdown

    shutdown = Shutdown()
    shutdown.install()
    settings, redis_process = _with_redis(settings)
    container, api, threads = None, None, []
    try:
        container = _container(settings)
        api = _start_api(settings)
        shutdown.on_request(api.terminate)  # the API starts stopping at once, in parallel with us
        threads = _start_background(container, shutdown.event, ticks=True, watch=True)
        print(f"dunning runs: API http://{settings.api_host}:{settings.api_port}/docs, "
              f"inbox {settings.effective_mailbox_url}, outbox {settings.effective_smtp_url}", flush=True)
        _work(str(settings.redis_url), shutdown)
    finally:
        _stop_in_order(shutdown, threads, container, api, redis_process)
    return 0


def cmd_letter(args: argparse.Namespace, settings: Settings) -> int:
    from letter_templates.commands import lint_file, render_sample

    if args.letter_command == "lint":
        return lint_file(Path(args.file))
    render_sample(Path(args.file), Path(args.out), args.language)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dunning", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="API + worker + mailbox watcher + periodic ticks (one machine)").set_defaults(
        func=cmd_run)
    worker = sub.add_parser("worker", help="rq worker with the mailbox watcher and tick scheduler")
    worker.add_argument("--no-ingest", action="store_true", help="do not watch the mailbox in this process")
    worker.add_argument("--no-ticks", action="store_true", help="do not schedule ticks in this process")
    worker.set_defaults(func=cmd_worker)
    api = sub.add_parser("api", help="the finance HTTP API only")
    api.add_argument("--workers", type=int, default=None, choices=range(1, 65), metavar="N",
                     help="worker processes on the API's port (default DUNNING_API_WORKERS, 1)")
    api.add_argument("--listen-fd", type=int, default=None, help=argparse.SUPPRESS)  # a worker of `--workers`
    api.set_defaults(func=cmd_api)
    sub.add_parser("migrate", help="bring the database to the newest schema").set_defaults(func=cmd_migrate)
    parse = sub.add_parser("parse-invoice", help="print what the parser reads from a PDF or XML invoice")
    parse.add_argument("file")
    parse.set_defaults(func=cmd_parse_invoice)
    sub.add_parser("ingest", help="one pass over the mailbox, then exit").set_defaults(func=cmd_ingest)
    classify = sub.add_parser("classify-message", help="print how an inbound .eml is understood, as JSON")
    classify.add_argument("file")
    classify.add_argument("--today", help="ISO date promises are resolved against (default: today)")
    classify.set_defaults(func=cmd_classify_message)
    costs = sub.add_parser("collection-costs", help="WIK collection costs for a principal, as JSON")
    costs.add_argument("amount")
    costs.add_argument("--consumer", action="store_true", help="the debtor is a consumer (B2C)")
    costs.add_argument("--on", help="ISO date whose rules apply (default: today)")
    costs.set_defaults(func=cmd_collection_costs)
    interest = sub.add_parser("interest", help="statutory interest over a period, as JSON")
    interest.add_argument("amount")
    interest.add_argument("--from", dest="start", required=True, help="first day of default (ISO date)")
    interest.add_argument("--to", dest="end", required=True, help="last day (ISO date)")
    interest.add_argument("--consumer", action="store_true", help="consumer rate (6:119) instead of commercial")
    interest.set_defaults(func=cmd_interest)
    tick = sub.add_parser("tick", help="decide due reminders at --now and send them")
    tick.add_argument("--now", help="ISO date or timestamp to act at (default: the real time)")
    tick.set_defaults(func=cmd_tick)
    recompute = sub.add_parser("recompute", help="compute every open invoice's next moment afresh (the daily "
                                                 "backstop of the tick's index); prints how many changed")
    recompute.add_argument("--now", help="ISO time to decide at (default: now)")
    recompute.set_defaults(func=cmd_recompute)
    purge = sub.add_parser("purge", help="empty inbound messages' raw bytes older than the retention period "
                                         "(DUNNING_RAW_MESSAGE_RETENTION_DAYS), keeping their timeline; prints how "
                                         "many (the daily job does the same)")
    purge.add_argument("--now", nargs="?", const="", help="ISO time to count the retention back from (default, or "
                                                           "--now alone: the real time)")
    purge.add_argument("--days", type=int, help="retention in days for this run (default: the setting)")
    purge.set_defaults(func=cmd_purge)
    business = sub.add_parser("business", help="manage businesses").add_subparsers(dest="business_command",
                                                                                  required=True)
    create = business.add_parser("create", help="add a business and print its API key once")
    create.add_argument("--name", required=True)
    create.add_argument("--sender", action="append", default=[],
                        help="address or @domain whose mail counts as this business's invoices when the trusted "
                        "MTA authenticates it (DUNNING_AUTHSERV_ID; repeatable; no free-mail @domains)")
    create.add_argument("--from", dest="from_address", required=True, help="From address of reminders")
    create.add_argument("--from-name")
    create.add_argument("--iban")
    create.add_argument("--ingest-address", help="the business's secret address at the service mailbox (an alias "
                        "you set up); default: a generated plus-address of DUNNING_SERVICE_ADDRESS")
    create.add_argument("--language", default="nl", choices=["nl", "en"])
    create.set_defaults(func=cmd_business_create)
    rotate = business.add_parser("rotate-ingest", help="give a business a new secret ingest address (the old one "
                                 "stops counting)")
    rotate.add_argument("--business", required=True, help="the business's id or exact name")
    rotate.set_defaults(func=cmd_business_rotate_ingest)
    letter = sub.add_parser("letter", help="check and try out Word letter templates").add_subparsers(
        dest="letter_command", required=True)
    lint = letter.add_parser("lint", help="check a .docx template; exit 0 when valid")
    lint.add_argument("file")
    lint.set_defaults(func=cmd_letter)
    render = letter.add_parser("render", help="render a template with sample data")
    render.add_argument("file")
    render.add_argument("--sample", action="store_true", default=True)
    render.add_argument("--out", required=True, help="OUT.docx or OUT.pdf")
    render.add_argument("--language", default="nl", choices=["nl", "en"])
    render.set_defaults(func=cmd_letter)
    from worker.cli_statement import add_statement_commands

    add_statement_commands(sub)
    from worker.cli_keys import add_key_commands

    add_key_commands(sub)
    from worker.cli_import import add_import_commands

    add_import_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from worker.file_modes import make_files_private
    from worker.logs import configure_logging

    try:
        settings = load_settings()
        configure_logging(settings)  # JSON lines in production, key=value on a terminal; secrets redacted
        make_files_private(settings.data_dir)  # raw mail, PDFs and keys live there
        return int(args.func(args, settings))
    except ConfigurationError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
