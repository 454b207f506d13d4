"""A second business's key reads nothing of the first, on every GET route of the app (found from app.routes,
so a route added later is probed too, or this test says what it needs to probe it)."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from email.message import EmailMessage

import pytest
from docx import Document
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient

from letter_templates.library import builtin_template
from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.api.deps import current_business
from worker.composition import build_container
from worker.config import Settings
from worker.db.import_models import InvoiceImport
from worker.db.migrate import upgrade
from worker.db.models import (
    BankStatementImport,
    BankTransaction,
    Debtor,
    InboundMessage,
    Invoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)
from worker.db.webhook_models import Webhook
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
# Everything of a business carries its marker (and its own invoice amount), so a leak shows in any response.
MARKERS = {"first": (b"zzjansenzz", b"777.77"), "second": (b"zzacmezz", b"123.45")}
AMOUNTS = {"first": "777.77", "second": "123.45"}
DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
NO_BUSINESS_KEY = {"/health", "/ready", "/metrics", "/admin/quarantine"}  # operator routes: no business data


def _letter_with(text: str, language: str) -> bytes:
    document = Document(io.BytesIO(builtin_template("reminder", language)))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _printable(marker: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = f"{marker} herinnering"
    message.set_content(f"brief voor {marker}")
    message.add_attachment(f"%PDF-1.4 {marker}".encode(), maintype="application", subtype="pdf",
                           filename=f"{marker}.pdf")
    return message.as_bytes()


def _add_business(container, client, who: str) -> tuple[str, dict[str, object]]:
    """A business with a debtor, an invoice, a quarantined message, a notice, a letter to print, a bank credit to
    review, an upload and a ladder."""
    marker = MARKERS[who][0].decode()
    with container.sessions.begin() as session:
        business, key = create_business(session, name=f"{marker} B.V.", senders=[f"billing@{marker}.example"],
                                        from_address=f"billing@{marker}.example", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email=f"ap@{marker}-klant.example", name=f"{marker} klant",
                        created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=f"{marker}-F-1",
                          issue_date=date(2026, 12, 1), due_date=date(2027, 1, 1), currency="EUR",
                          amount_due=Decimal(AMOUNTS[who]), amount_paid=Decimal(0), status="open",
                          reply_token=f"tok-{marker}", parsed={}, created_at=NOW)
        session.add(invoice)
        # /reports/late-payers lists a debtor late on three invoices or more: two more, paid late
        for n in (1, 15):
            paid = Invoice(business_id=business.id, debtor_id=debtor.id, number=f"{marker}-F-0{n}",
                           issue_date=date(2026, 10, 1), due_date=date(2026, 11, n), currency="EUR",
                           amount_due=Decimal("10.00"), amount_paid=Decimal("10.00"), status="paid",
                           reply_token=f"tok-{marker}-{n}", parsed={}, created_at=NOW)
            session.add(paid)
            session.flush()
            session.add(Payment(business_id=business.id, invoice_id=paid.id, kind="payment", amount=Decimal("10.00"),
                                credit=Decimal(0), paid_on=date(2026, 12, 20), source="api", who="api",
                                created_at=NOW))
        session.flush()
        session.add(InboundMessage(message_key=f"<q-{marker}@example>", business_id=business.id, raw=b"x",
                                   from_address=f"someone@{marker}.example", subject=f"{marker} vraag", kind="reply",
                                   status="quarantined", reason=f"{marker}: no invoice matched", received_at=NOW))
        session.add(TimelineEvent(business_id=business.id, invoice_id=invoice.id, debtor_id=debtor.id,
                                  kind=EventKind.DELIVERY_FAILED.value, at=NOW,
                                  data={"recipient": f"ap@{marker}-klant.example"}))
        letter = OutboundMessage(business_id=business.id, debtor_id=debtor.id, invoice_id=invoice.id,
                                 step="reminder", message_id=f"<p-{marker}@example>", subject=f"{marker} herinnering",
                                 raw=_printable(marker), status="to_print", created_at=NOW)
        session.add(letter)
        statement = BankStatementImport(business_id=business.id, filename=f"{marker}.csv", format="csv",
                                        source="upload", transactions=1, credits=1, matched=0, review=1,
                                        duplicates=0, imported_at=NOW)
        session.add(statement)
        session.flush()
        session.add(BankTransaction(business_id=business.id, statement_id=statement.id, dedup_key=marker,
                                    booking_date=date(2027, 1, 30), amount=Decimal("5.00"), currency="EUR",
                                    credit=True, counterparty_name=f"{marker} klant", remittance=f"{marker} ?",
                                    status="review", created_at=NOW))
        upload = InvoiceImport(business_id=business.id, filename=f"{marker}.csv", kind="csv", data=b"x",
                               status="finished", total=0, done=0, imported=0, duplicates=0, refused=0,
                               who=f"{marker}-staff", created_at=NOW)
        hook = Webhook(business_id=business.id, url=f"https://{marker}.example/hook", events=["reply.received"],
                       secret=f"whsec_{marker}", created_by=f"{marker}-staff", created_at=NOW)
        session.add_all([upload, hook])
        session.flush()
        ids = {"invoice_id": invoice.id, "debtor_id": debtor.id, "outbound_id": letter.id,
               "statement_id": statement.id, "import_id": upload.id, "webhook_id": hook.id}
    language = "nl" if who == "first" else "en"
    uploaded = client.put(f"/templates/reminder/{language}", headers={"X-API-Key": key},
                          files={"file": ("reminder.docx", _letter_with(f"Groet van {marker}", language))},
                          data={"uploaded_by": f"{marker}-staff"})
    assert uploaded.status_code == 200, uploaded.text
    ladder = client.put("/ladders", headers={"X-API-Key": key}, json={  # a ladder of its own, named after it
        "segment": "new", "debtor_kind": "business",
        "steps": [{"name": f"{marker}_reminder", "offset_days": 3, "template": "reminder"}]})
    assert ladder.status_code == 200, ladder.text
    return key, {**ids, "name": "reminder", "language": language}


@pytest.fixture
def two_businesses(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    client = TestClient(create_app(container))
    first_key, first_ids = _add_business(container, client, "first")
    second_key, _ = _add_business(container, client, "second")
    yield client, first_key, first_ids, second_key
    container.engine.dispose()


def _needs_business_key(route: RouteContext) -> bool:
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        if dependant.call is current_business:
            return True
        pending.extend(dependant.dependencies)
    return False


def _get_routes(app) -> list[RouteContext]:
    """Every GET route that answers with a business's data; any other GET route must be known here."""
    found = []
    for route in iter_route_contexts(app.routes):  # included routers, flattened with their prefixes
        if "GET" not in (route.methods or set()):
            continue
        if not isinstance(route.original_route, APIRoute):
            assert route.path in DOCS, f"{route.path}: a GET route outside FastAPI's routing; probe it here"
        elif _needs_business_key(route):
            found.append(route)
        else:
            assert route.path in NO_BUSINESS_KEY, f"{route.path} answers without a business's API key: intended?"
    return found


def _leaks(body: bytes, who: str = "first") -> list[bytes]:
    return [marker for marker in MARKERS[who] if marker in body.lower()]


def test_the_second_key_sees_nothing_of_the_first(two_businesses):
    client, first_key, first_ids, second_key = two_businesses
    routes = _get_routes(client.app)
    assert {"/invoices", "/invoices/{invoice_id}", "/debtors", "/review", "/reports/ageing", "/print-queue",
            "/templates", "/business"} <= {r.path for r in routes}
    for route in routes:
        params = [p.name for p in route.dependant.path_params]
        unknown = [p for p in params if p not in first_ids]
        assert not unknown, f"{route.path}: give the first business an object for {unknown} in _add_business"
        path = route.path.format(**{p: first_ids[p] for p in params})
        probes = [(path, {})] + [(path, {q.name: first_ids[q.name]}) for q in route.dependant.query_params
                                 if q.name in first_ids and q.name.endswith("_id")]
        for url, query in probes:
            own = client.get(url, params=query, headers={"X-API-Key": first_key})
            assert own.status_code == 200, f"{url} {query}: the first business's own request failed: {own.text}"
            other = client.get(url, params=query, headers={"X-API-Key": second_key})
            if params or query:  # the first business's object, asked for with the second key
                assert other.status_code == 404 or (
                    other.status_code == 200 and not _leaks(other.content) and other.content != own.content), (
                    f"{url} {query} shows the first business's data to the second: {other.text[:300]}")
            else:  # a listing: the second business's own data, none of the first's
                assert other.status_code == 200, f"{url}: {other.text}"
                assert not _leaks(other.content), f"{url} shows {_leaks(other.content)} to the second business"
                assert _leaks(other.content, "second"), (
                    f"{url} shows nothing of the second business either; give it data there in _add_business, "
                    "so this probe means something")
