"""Fault injection on ingest: poison mail, bugs and transient database errors never stop the mail behind them."""

from datetime import timedelta
from email.utils import make_msgid

import psycopg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

import worker.usecases.process_inbound as process_module
from tests.factories.hostile import _mail, many_attachments, nested_multipart, valid_invoice
from tests.integration.inbox_service import InboxService
from worker.db.models import OutboundMessage, TimelineEvent

pytestmark = pytest.mark.integration


@pytest.fixture
def inbox(tmp_path):
    service = InboxService(tmp_path, f"sqlite:///{tmp_path / 'dunning.db'}")
    yield service
    service.close()


@pytest.fixture
def pg_inbox(tmp_path, fresh_postgres_url):
    service = InboxService(tmp_path, fresh_postgres_url)
    yield service
    service.close()


def fail_for(subject_part: str, make_error, times: int = 10**6):  # type: ignore[no-untyped-def]
    """accept_invoice_mail that raises `make_error()` for mail whose subject holds `subject_part`, `times` times."""
    real = process_module.accept_invoice_mail
    raised = []

    def accept(session, business, row, mail, **kw):  # type: ignore[no-untyped-def]
        if subject_part in (mail.subject or "") and len(raised) < times:
            raised.append(1)
            raise make_error()
        return real(session, business, row, mail, **kw)

    return accept, raised


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_invoice_behind_a_poison_message_is_ingested_in_the_same_pass(backend, request):
    inbox = request.getfixturevalue("inbox" if backend == "sqlite" else "pg_inbox")
    inbox.drop(nested_multipart(inbox.bcc, depth=1000))
    inbox.drop(valid_invoice(inbox.bcc, "2027-0400"))
    outcomes = inbox.ingest().outcomes
    assert sorted(o.status for o in outcomes) == ["processed", "quarantined"]
    assert inbox.invoice_numbers() == ["2027-0400"]
    review = inbox.get("/review").json()["quarantined"]
    assert len(review) == 1 and review[0]["status"] == "quarantined" and review[0]["reason"]
    assert inbox.inbox_count() == 0 and inbox.folder_count("Quarantine") == 1
    # nothing is left to retry: the next pass is empty
    assert inbox.ingest().outcomes == []


def test_a_bug_is_retried_on_its_back_off_then_shunted_as_failed_and_the_business_is_told(inbox, monkeypatch):
    accept, raised = fail_for("2027-0401", lambda: RuntimeError("injected bug"))
    monkeypatch.setattr(process_module, "accept_invoice_mail", accept)
    inbox.drop(valid_invoice(inbox.bcc, "2027-0401"))
    inbox.drop(valid_invoice(inbox.bcc, "2027-0402"))
    first = inbox.ingest().outcomes
    assert sorted(o.status for o in first) == ["pending", "processed"]
    assert inbox.invoice_numbers() == ["2027-0402"]  # the mail behind the broken one went on
    assert inbox.ingest().outcomes[0].status == "pending" and len(raised) == 1  # not before its back-off
    inbox.clock.now += timedelta(seconds=31)
    assert [o.status for o in inbox.ingest().outcomes] == ["pending"] and len(raised) == 2
    assert inbox.inbox_count() == 1  # still in the inbox while it is pending
    inbox.clock.now += timedelta(seconds=61)
    assert [o.status for o in inbox.ingest().outcomes] == ["failed"] and len(raised) == 3
    failed = [m for m in inbox.inbound() if m.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 3
    assert "injected bug" in failed[0].reason and "Traceback" in failed[0].reason
    assert inbox.inbox_count() == 0 and inbox.folder_count("Quarantine") == 1
    assert [m["status"] for m in inbox.get("/review").json()["quarantined"]] == ["failed"]
    with inbox.container.sessions.begin() as session:
        notices = session.scalars(select(OutboundMessage.subject).where(OutboundMessage.step == "notice:business"))
        assert list(notices) == ["Actie nodig: Een e-mail kon niet worden verwerkt"]
    inbox.clock.now += timedelta(hours=2)
    assert inbox.ingest().outcomes == [] and len(raised) == 3  # failed is final


def test_an_injected_operational_error_leaves_the_message_pending_however_often(inbox, monkeypatch):
    def down() -> OperationalError:
        return OperationalError("INSERT INTO invoices ...", {}, Exception("server closed the connection"))

    accept, raised = fail_for("2027-0403", down, times=5)
    monkeypatch.setattr(process_module, "accept_invoice_mail", accept)
    inbox.drop(valid_invoice(inbox.bcc, "2027-0403"))
    for attempt in range(1, 6):  # more attempts than a bug gets: a transient error is never the message's fault
        assert [o.status for o in inbox.ingest().outcomes] == ["pending"]
        (row,) = inbox.inbound()
        assert (row.status, row.attempts, len(raised)) == ("stored", attempt, attempt)
        assert row.reason.startswith("transient")
        inbox.clock.now = row.next_attempt_at
    assert [o.status for o in inbox.ingest().outcomes] == ["processed"]
    assert inbox.invoice_numbers() == ["2027-0403"]
    assert inbox.get("/review").json()["quarantined"] == []


def test_postgresql_connections_terminated_while_processing_leave_the_mail_pending_until_recovery(pg_inbox):
    inbox = pg_inbox
    killed: list[int] = []
    dsn = inbox.container.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    @event.listens_for(inbox.container.engine, "before_cursor_execute")
    def terminate(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # The 2nd and 4th invoice inserts lose their connection, as when an operator or failover kills it.
        if statement.startswith("INSERT INTO invoices"):
            terminate.inserts = getattr(terminate, "inserts", 0) + 1
            if terminate.inserts in (2, 4):
                pid = conn.connection.dbapi_connection.info.backend_pid
                with psycopg.connect(dsn, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                killed.append(pid)

    for n in range(5):
        inbox.drop(valid_invoice(inbox.bcc, f"2027-05{n:02d}"))
    statuses = sorted(o.status for o in inbox.ingest().outcomes)
    assert len(killed) == 2 and statuses == ["pending", "pending", "processed", "processed", "processed"]
    assert {m.status for m in inbox.inbound()} == {"processed", "stored"}  # never quarantined for it
    inbox.clock.now += timedelta(seconds=31)
    assert sorted(o.status for o in inbox.ingest().outcomes) == ["processed", "processed"]
    assert inbox.invoice_numbers() == [f"2027-05{n:02d}" for n in range(5)]
    assert inbox.get("/review").json()["quarantined"] == [] and inbox.inbox_count() == 0


def test_junk_and_an_invoice_with_one_message_id_both_land_and_the_same_bytes_are_stored_once(inbox):
    shared_id = make_msgid(domain="jansen.example")
    junk = _mail("Hallo", [], bcc=inbox.bcc)
    junk.replace_header("Message-ID", shared_id)
    real = _with_message_id(valid_invoice(inbox.bcc, "2027-0404"), shared_id)
    inbox.drop(junk.as_bytes())
    assert [o.status for o in inbox.ingest().outcomes] == ["quarantined"]
    inbox.drop(real)
    inbox.drop(real)  # the same bytes delivered twice
    assert [o.status for o in inbox.ingest().outcomes] == ["processed", "processed"]
    assert inbox.invoice_numbers() == ["2027-0404"]
    rows = inbox.inbound()
    assert len(rows) == 2 and rows[1].same_message_id_as == rows[0].id
    with inbox.container.sessions.begin() as session:
        note = session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "MessageIdReused")).one()
        assert note.inbound_message_id == rows[1].id and note.data["earlier_inbound_message_id"] == rows[0].id


def _with_message_id(raw: bytes, message_id: str) -> bytes:
    head, sep, body = raw.partition(b"\n\n")
    lines = [b"Message-ID: " + message_id.encode() if line.lower().startswith(b"message-id:") else line
             for line in head.split(b"\n")]
    return b"\n".join(lines) + sep + body


def _junk_pdf_mail(bcc: str, names: list[str]) -> bytes:
    return _mail("Facturen", [(name, "application/pdf", b"%PDF-1.4 junk " + name.encode()) for name in names],
                 bcc=bcc).as_bytes()


def _notices(inbox) -> list[OutboundMessage]:  # type: ignore[no-untyped-def]
    with inbox.container.sessions.begin() as session:
        return list(session.scalars(select(OutboundMessage).where(OutboundMessage.step.like("notice:%"))
                                    .order_by(OutboundMessage.id)))


def _text(raw: bytes) -> str:
    from email import message_from_bytes, policy

    message = message_from_bytes(raw, policy=policy.default)
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_type() == "text/plain")


def test_notices_of_one_kind_coalesce_into_one_per_hour(inbox):
    inbox.drop(_junk_pdf_mail(inbox.bcc, [f"junk-{i}.pdf" for i in range(40)]))  # 40 bad files in one mail
    inbox.ingest()
    (notice,) = _notices(inbox)
    assert all(f"junk-{i}.pdf" in _text(notice.raw) for i in range(40))
    inbox.clock.now += timedelta(minutes=5)
    inbox.drop(_junk_pdf_mail(inbox.bcc, ["later.pdf"]))
    inbox.ingest()
    (notice,) = _notices(inbox)  # still unsent: the later file joined it
    assert "later.pdf" in _text(notice.raw) and "junk-39.pdf" in _text(notice.raw)
    with inbox.container.sessions.begin() as session:
        session.get(OutboundMessage, notice.id).status = "sent"
    inbox.clock.now += timedelta(minutes=10)
    inbox.drop(_junk_pdf_mail(inbox.bcc, ["after-sending.pdf"]))
    inbox.ingest()
    assert len(_notices(inbox)) == 1  # told less than an hour ago: it waits
    inbox.clock.now = notice.created_at + timedelta(minutes=61)
    inbox.ingest()  # every pass sends what waited once the hour is over
    first, second = _notices(inbox)
    assert "after-sending.pdf" in _text(second.raw) and "after-sending.pdf" not in _text(first.raw)
    with inbox.container.sessions.begin() as session:
        assert session.scalar(select(func.count(OutboundMessage.id))) == 2


def test_a_notice_that_fails_to_render_is_shunted_to_review_not_dropped(inbox, monkeypatch):
    import worker.usecases.notices as notices_module

    def broken(**_kw):  # type: ignore[no-untyped-def]
        raise ValueError("template exploded")

    monkeypatch.setattr(notices_module, "compose_invoice_problem", broken)
    inbox.drop(_junk_pdf_mail(inbox.bcc, ["bad.pdf"]))
    assert [o.status for o in inbox.ingest().outcomes] == ["quarantined"]
    (notice,) = _notices(inbox)
    assert notice.status == "failed" and "template exploded" in notice.last_error
    review = inbox.get("/review").json()
    assert [n["kind"] for n in review["notices"]] == ["LetterFailed"]
    assert "template exploded" in review["notices"][0]["data"]["reason"]


def test_a_mail_with_200_junk_attachments_gives_one_notice_naming_every_file(inbox):
    inbox.drop(many_attachments(inbox.bcc, 200))  # refused whole before parsing (over 50 attachments)
    assert [o.status for o in inbox.ingest().outcomes] == ["quarantined"]
    (notice,) = _notices(inbox)
    text = _text(notice.raw)
    assert all(f"junk-{i}.pdf" in text for i in range(200)) and "200" in notice.subject
    assert inbox.get("/review").json()["quarantined"][0]["reason"].startswith("malformed e-mail")


def test_nobody_is_told_of_an_unreadable_mail_that_no_ingest_address_ties_to_a_business(inbox):
    inbox.drop(nested_multipart("someone@elsewhere.example", depth=1000))
    assert [o.status for o in inbox.ingest().outcomes] == ["quarantined"]
    assert _notices(inbox) == [] and inbox.get("/review").json()["quarantined"] == []
