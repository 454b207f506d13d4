"""A staff member's round trip through the templates API on a temporary SQLite database: download the built-in
letter, edit it in a real .docx (python-docx, runs split inside a placeholder as Word saves them), upload,
preview, and the next reminder resolves to it; broken uploads refused, versions reverted, tenants separated."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select

from letter_templates.library import builtin_template
from letter_templates.render import render_letter
from tests.unit.letter_templates.hostile_docx import rewrite, with_doctype, zip_bomb
from worker.adapters.letters import LetterSettings, letter_context
from worker.api import templates
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage
from worker.db.template_models import LetterTemplate
from worker.domain.step import Step
from worker.usecases.businesses import create_business
from worker.usecases.render_outbound import ensure_rendered
from worker.usecases.templates import resolve_template
from worker.usecases.tick import run_tick

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NEW_WORDING = "Wij zien uw betaling graag binnen een week tegemoet."


@pytest.fixture
def service(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'dunning.db'}", letter_format="auto",
                        warm_pdf=False)
    container = build_container(settings)
    container.clock = lambda: NOW
    upgrade(container.engine)
    app = create_app(container)
    app.include_router(templates.router)  # what the lead adds to worker/api/app.py
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in ("Van Dijk", "Other"):
            business, keys[name] = create_business(session, name=f"{name} B.V.", senders=[f"billing@{name}.test"],
                                                   from_address=f"billing@{name}.test", iban="NL91ABNA0417164300",
                                                   now=NOW)
            ids[name] = business.id
        debtor = Debtor(business_id=ids["Van Dijk"], name="Jansen & Zn.", contact_email="anna@jansen.test",
                        contact_name="Anna de Vries", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=ids["Van Dijk"], debtor_id=debtor.id, number="2026-0142",
                          issue_date=date(2026, 9, 15), due_date=date(2026, 10, 15), currency="EUR",
                          amount_due=Decimal("1234.56"), status="open", reply_token="tok-1",
                          payment_reference="RF18539007547034", created_at=NOW)
        session.add(invoice)
        session.flush()
        ids["debtor"], ids["invoice"] = debtor.id, invoice.id
    client = TestClient(app)
    return container, client, keys, ids


def _edit_like_word(docx: bytes) -> bytes:
    """Change a sentence and add a paragraph whose placeholder Word split over three runs."""
    document = Document(io.BytesIO(docx))
    paragraph = next(p for p in document.paragraphs if "aandacht ontsnapt" in p.text)
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = NEW_WORDING
    added = paragraph.insert_paragraph_before("Beste ")
    for piece in ("{{ debt", "or.contact", "_name }}", ", bedankt."):
        added.add_run(piece)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, key, name, language, data, **params):
    return client.put(f"/templates/{name}/{language}", headers={"X-API-Key": key}, params=params,
                      files={"file": (f"{name}.{language}.docx", data, templates.DOCX)},
                      data={"uploaded_by": "marieke"})


def test_staff_round_trip_download_edit_upload_preview_and_the_next_reminder_uses_it(service) -> None:
    container, client, keys, ids = service
    key = {"X-API-Key": keys["Van Dijk"]}

    got = client.get("/templates/reminder/nl", headers=key)
    assert got.status_code == 200 and got.headers["X-Template-Source"] == "builtin"
    assert got.content == builtin_template("reminder", "nl")

    edited = _edit_like_word(got.content)
    put = _upload(client, keys["Van Dijk"], "reminder", "nl", edited)
    assert put.status_code == 200, put.text
    assert put.json()["version"] == 1 and put.json()["uploaded_by"] == "marieke"

    preview = client.post("/templates/reminder/nl/preview", headers=key,
                          params={"format": "docx", "invoice_id": ids["invoice"]})
    assert preview.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(preview.content)).paragraphs)
    assert NEW_WORDING in text and "Beste Anna de Vries, bedankt." in text and "2026-0142" in text

    if shutil.which("soffice"):
        pdf = client.post("/templates/reminder/nl/preview", headers=key, params={"format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        with pdfplumber.open(io.BytesIO(pdf.content)) as document:
            assert NEW_WORDING in " ".join(document.pages[0].extract_text().split())

    listed = {(t["name"], t["language"]): t for t in client.get("/templates", headers=key).json()}
    assert listed[("reminder", "nl")]["source"] == "business"
    assert listed[("reminder", "en")]["source"] == "builtin"

    # The next reminder: the worker resolves the template on the search path and renders it.
    with container.sessions() as session:
        template = resolve_template(session, ids["Van Dijk"], ids["debtor"], "reminder", "nl")
        debtor, invoice = session.get(Debtor, ids["debtor"]), session.get(Invoice, ids["invoice"])
        business = session.get(Business, ids["Van Dijk"])
        context = letter_context(business, debtor, [invoice], Step("reminder", 1, "reminder"), NOW)
    assert template == edited
    assert NEW_WORDING in render_letter(template, context, "nl").text


def test_broken_uploads_are_refused_with_the_field_and_the_paragraph(service) -> None:
    _, client, keys, _ = service
    document = Document(io.BytesIO(builtin_template("reminder", "nl")))
    document.add_paragraph("Uw contact: {{ debiteur.naam }} en {{ debtor.adress }}")
    document.add_paragraph("{{ payment.iban.__class__ }}")
    document.add_paragraph("{% if total_open %}zonder einde")
    out = io.BytesIO()
    document.save(out)
    refused = _upload(client, keys["Van Dijk"], "reminder", "nl", out.getvalue())
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert any(p["code"] == "syntax_error" and "paragraph" in p["location"] for p in problems)
    clean = Document(io.BytesIO(builtin_template("reminder", "nl")))
    clean.add_paragraph("Uw contact: {{ debiteur.naam }} en {{ debtor.adress }} {{ payment.iban.__class__ }}")
    out = io.BytesIO()
    clean.save(out)
    problems = _upload(client, keys["Van Dijk"], "reminder", "nl", out.getvalue()).json()["problems"]
    by_placeholder = {p["placeholder"]: p for p in problems}
    assert by_placeholder["debtor.adress"]["suggestion"] == "debtor.address"
    assert by_placeholder["debiteur.naam"]["suggestion"] == "debtor.name"
    assert any(p["code"] == "unsafe" for p in problems)
    assert all("Uw contact" in p["location"] for p in problems)
    # Nothing was stored: the built-in letter still serves.
    got = client.get("/templates/reminder/nl", headers={"X-API-Key": keys["Van Dijk"]})
    assert got.headers["X-Template-Source"] == "builtin"
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", b"not a docx").status_code == 422


def test_a_fourteen_day_letter_without_the_cost_amount_is_refused(service) -> None:
    _, client, keys, _ = service
    reminder = builtin_template("reminder", "nl")
    refused = _upload(client, keys["Van Dijk"], "fourteen_day_letter", "nl", reminder)
    assert refused.status_code == 422
    assert [p["placeholder"] for p in refused.json()["problems"]] == ["costs.amount"]


def test_versions_revert_and_debtor_templates_come_first(service) -> None:
    container, client, keys, ids = service
    key = {"X-API-Key": keys["Van Dijk"]}
    base = builtin_template("reminder", "nl")
    first, second = _edit_like_word(base), builtin_template("reminder", "nl", "plain")
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", first).json()["version"] == 1
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", second).json()["version"] == 2
    informal = builtin_template("reminder", "nl", "informal")
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", informal,
                   debtor_id=ids["debtor"]).json()["debtor_id"] == ids["debtor"]

    with container.sessions() as session:
        assert resolve_template(session, ids["Van Dijk"], ids["debtor"], "reminder", "nl") == informal
        assert resolve_template(session, ids["Van Dijk"], None, "reminder", "nl") == second
        assert resolve_template(session, ids["Van Dijk"], None, "reminder", "nl", tone="plain") == second
        assert resolve_template(session, ids["Van Dijk"], None, "courtesy", "en", tone="plain") == builtin_template(
            "courtesy", "en", "plain")

    reverted = client.post("/templates/reminder/nl/revert", headers=key)
    assert reverted.json()["version"] == 1
    assert client.post("/templates/reminder/nl/revert", headers=key).json() is None  # back to the built-in
    assert client.get("/templates/reminder/nl", headers=key).content == base
    assert client.post("/templates/reminder/nl/revert", headers=key, params={"version": 2}).json()["active"]
    assert client.post("/templates/reminder/nl/revert", headers=key, params={"version": 9}).status_code == 404
    versions = {v["version"]: v["active"] for t in client.get("/templates", headers=key).json()
                if (t["name"], t["language"]) == ("reminder", "nl") for v in t["versions"] if not v["debtor_id"]}
    assert versions == {1: False, 2: True}


def test_each_business_sees_only_its_own_templates_and_debtors(service) -> None:
    _, client, keys, ids = service
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", _edit_like_word(
        builtin_template("reminder", "nl"))).status_code == 200
    other = {"X-API-Key": keys["Other"]}
    assert client.get("/templates/reminder/nl", headers=other).headers["X-Template-Source"] == "builtin"
    assert client.get("/templates/reminder/nl", headers=other, params={"debtor_id": ids["debtor"]}).status_code == 404
    assert client.post("/templates/reminder/nl/preview", headers=other,
                       params={"invoice_id": ids["invoice"], "format": "docx"}).status_code == 404
    assert client.get("/templates/reminder/nl").status_code == 401
    assert client.get("/templates/aanmaning/nl", headers=other).status_code == 404
    assert client.get("/templates/reminder.friendly/nl", headers=other).status_code == 404


def test_preview_of_every_builtin_with_sample_data(service) -> None:
    _, client, keys, _ = service
    for name in ("final_notice", "payment_plan_confirmation", "business_notice", "reminder.informal"):
        got = client.post(f"/templates/{name}/en/preview", headers={"X-API-Key": keys["Van Dijk"]},
                          params={"format": "docx"})
        assert got.status_code == 200, (name, got.text)
        assert got.headers["X-Letter-Subject"]


def _with_paragraph(docx: bytes, text: str) -> bytes:
    document = Document(io.BytesIO(docx))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RANGE_BOMB = "{% for i in range(100000000) %}{{ i }}{% endfor %}"


def test_a_range_bomb_is_refused_and_the_letter_that_was_working_keeps_working(service) -> None:
    container, client, keys, ids = service
    key = {"X-API-Key": keys["Van Dijk"]}
    working = _edit_like_word(builtin_template("reminder", "nl"))
    assert _upload(client, keys["Van Dijk"], "reminder", "nl", working).status_code == 200

    refused = _upload(client, keys["Van Dijk"], "reminder", "nl",
                      _with_paragraph(builtin_template("reminder", "nl"), RANGE_BOMB))
    assert refused.status_code == 422
    detail = refused.json()
    assert "nothing was changed" in detail["message"]
    [problem] = detail["problems"]
    assert problem["code"] == "too_costly" and "range(100000000)" in problem["message"]
    assert "range(100000000)" in problem["location"]

    # Version 1 is still the active letter: downloads, previews and the next reminder use it.
    got = client.get("/templates/reminder/nl", headers=key)
    assert got.content == working and got.headers["X-Template-Source"] == "business"
    preview = client.post("/templates/reminder/nl/preview", headers=key, params={"format": "docx"})
    assert preview.status_code == 200
    assert NEW_WORDING in "\n".join(p.text for p in Document(io.BytesIO(preview.content)).paragraphs)
    with container.sessions() as session:
        assert resolve_template(session, ids["Van Dijk"], None, "reminder", "nl") == working
    versions = [v for t in client.get("/templates", headers=key).json() if (t["name"], t["language"]) == (
        "reminder", "nl") for v in t["versions"]]
    assert [(v["version"], v["active"]) for v in versions] == [(1, True)]

    # With no upload of its own, a business's built-in letter also stays in place.
    other = {"X-API-Key": keys["Other"]}
    assert _upload(client, keys["Other"], "reminder", "en", _with_paragraph(
        builtin_template("reminder", "en"), RANGE_BOMB)).status_code == 422
    assert client.get("/templates/reminder/en", headers=other).headers["X-Template-Source"] == "builtin"
    assert client.post("/templates/reminder/en/preview", headers=other, params={"format": "docx"}).status_code == 200


def test_hostile_packages_are_refused_413_for_size_and_422_with_the_reason_otherwise(service) -> None:
    _, client, keys, _ = service
    too_big = _upload(client, keys["Van Dijk"], "reminder", "nl", b"PK" + b"\0" * (6 * 1024 * 1024))
    assert too_big.status_code == 413 and "5.0 MB" in too_big.text

    bomb = _upload(client, keys["Van Dijk"], "reminder", "nl", zip_bomb(200))
    assert bomb.status_code == 422
    assert bomb.json()["problems"][0]["code"] == "unpacks_too_large"

    xxe = rewrite(builtin_template("reminder", "nl"), {"word/document.xml": with_doctype(
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")})
    refused = _upload(client, keys["Van Dijk"], "reminder", "nl", xxe)
    assert refused.status_code == 422 and refused.json()["problems"][0]["code"] == "xml_entities"
    assert "root:" not in refused.text

    macro = client.put("/templates/reminder/nl", headers={"X-API-Key": keys["Van Dijk"]},
                       files={"file": ("reminder.docm", builtin_template("reminder", "nl"), templates.DOCX)})
    assert macro.status_code == 422 and macro.json()["problems"][0]["code"] == "macros"
    assert client.get("/templates/reminder/nl", headers={"X-API-Key": keys["Van Dijk"]}).headers[
        "X-Template-Source"] == "builtin"


def test_a_hostile_template_already_stored_fails_only_its_own_letter_at_send_time(service) -> None:
    """One that went live before these checks existed: the tick shunts that letter with the reason, and goes on."""
    container, _, _, ids = service
    tick_now = datetime(2026, 10, 19, 9, tzinfo=UTC)  # the 2026-0142 invoice is a few days overdue, a Monday
    with container.sessions.begin() as session:
        session.get_one(Business, ids["Van Dijk"]).from_address = "billing@vandijk.test"  # the fixture's has a space
        other = Debtor(business_id=ids["Van Dijk"], name="Pietersen", contact_email="ap@pietersen.test",
                       created_at=NOW)
        session.add(other)
        session.flush()
        session.add(Invoice(business_id=ids["Van Dijk"], debtor_id=other.id, number="2026-0200",
                            issue_date=date(2026, 9, 15), due_date=date(2026, 10, 15), currency="EUR",
                            amount_due=Decimal("99.00"), status="open", reply_token="tok-2", created_at=NOW))
        session.add(LetterTemplate(  # stored directly: no upload check would let it in now
            business_id=ids["Van Dijk"], debtor_id=ids["debtor"], name="reminder", language="nl", version=1,
            docx=_with_paragraph(builtin_template("reminder", "nl"), RANGE_BOMB), uploaded_at=NOW,
            uploaded_by="before the checks", active=True))
    report = run_tick(container.sessions, tick_now, LetterSettings("invoices@service.test", "service.test", None),
                      lambda *_: None)
    assert len(report.recorded) == 2  # the tick only records; the letters are rendered as they are sent
    letters = LetterSettings("invoices@service.test", "service.test", None)
    made = {oid: ensure_rendered(container.sessions, oid, letters, tick_now) is not None for oid in report.recorded}
    assert sorted(made.values()) == [False, True]  # Pietersen's reminder, from the built-in letter, is made
    with container.sessions() as session:
        [broken] = [session.get_one(OutboundMessage, oid) for oid, ok in made.items() if not ok]
        reason = broken.last_error or ""
        assert broken.status == "cancelled" and broken.invoice_id == ids["invoice"]
        assert not session.scalars(select(OutboundInvoice).where(
            OutboundInvoice.outbound_message_id == broken.id)).all()  # the step is free again after the review
    assert "range(100000000)" in reason and "at most 10,000" in reason
    with container.sessions() as session:
        invoice = session.get_one(Invoice, ids["invoice"])
        assert invoice.status == "review" and "range(100000000)" in invoice.status_reason
