"""Notes and calls on the timeline: who recorded them, a promise that holds the ladder like a written one, and the
written confirmation sent once through the outbox to a real SMTP server."""

import email
from datetime import timedelta
from email import policy

from sqlalchemy import select

from mailer.sender import SmtpSender
from tests.api.contacts_world import BY_CLERK, NOW, world  # noqa: F401 - the fixture
from worker.db.models import Debtor, OutboundMessage, TimelineEvent
from worker.usecases.send import send_outbound

CALL = {"happened_at": "2027-02-01T09:30:00+01:00", "contact": "Anna de Vries",
        "summary": "Pays invoice F-1 in full by 14 February; their payment run is on the 13th.",
        "promised_date": "2027-02-14", "send_confirmation": True}


def _events(world, invoice_id: int) -> list[TimelineEvent]:  # noqa: F811
    with world.container.sessions() as session:
        return list(session.scalars(select(TimelineEvent).where(TimelineEvent.invoice_id == invoice_id)
                                    .order_by(TimelineEvent.id)))


def _outbox(world, invoice_id: int) -> list[OutboundMessage]:  # noqa: F811
    with world.container.sessions() as session:
        rows = list(session.scalars(select(OutboundMessage).where(OutboundMessage.invoice_id == invoice_id)))
        session.expunge_all()
        return rows


def test_a_call_with_a_promise_holds_the_ladder_and_is_confirmed_once(world, smtp_server):  # noqa: F811
    invoice = world.ids[("jansen", "F-1")]
    before = world.call("GET", f"/invoices/{invoice}/explain").json()
    assert "promised" not in before["summary"]

    answer = world.call("POST", f"/invoices/{invoice}/calls", json=CALL)

    assert answer.status_code == 201, answer.text
    call = answer.json()
    assert (call["kind"], call["recorded_by"], call["contact"], call["promised_date"]) == (
        "call", BY_CLERK, "Anna de Vries", "2027-02-14")
    assert call["happened_at"].startswith("2027-02-01T08:30")  # kept as the moment it was, in UTC
    # The hold is the one a written promise makes: the same decision, the same words.
    after = world.call("GET", f"/invoices/{invoice}/explain").json()
    assert "the debtor promised to pay by 2027-02-14" in after["summary"] + " ".join(after["reasons"])
    later = world.call("GET", f"/invoices/{invoice}/explain", params={"as_of": "2027-02-10"}).json()
    assert "promised to pay by 2027-02-14" in later["summary"] + " ".join(later["reasons"])
    kinds = [(e.kind, e.data.get("by")) for e in _events(world, invoice)]
    assert kinds == [("CallRecorded", BY_CLERK), ("PromiseToPayRecorded", BY_CLERK)]
    timeline = world.call("GET", f"/invoices/{invoice}").json()["timeline"]
    assert [e["kind"] for e in timeline] == ["CallRecorded", "PromiseToPayRecorded"]

    [row] = _outbox(world, invoice)
    assert (row.id, row.step, row.status, row.to_addresses) == (
        call["confirmation_outbound_id"], "agreement_confirmation.1", "pending", ["ap@jansen-klant.example"])
    smtp_server.clear()
    sender = SmtpSender(smtp_server.host, smtp_server.port)
    assert send_outbound(world.container.sessions, sender, row.id, NOW + timedelta(minutes=1)) == "sent"
    assert send_outbound(world.container.sessions, sender, row.id, NOW + timedelta(minutes=2)) == "sent"
    [delivered] = smtp_server.wait_for(1)
    assert len(smtp_server.messages) == 1  # exactly once, however often the send job runs
    mail = email.message_from_bytes(delivered.raw, policy=policy.default)
    assert mail["Subject"] == "Bevestiging van onze afspraak – jansen"
    text = mail.get_body(("plain",)).get_content()
    assert "telefonisch gesproken met Anna de Vries" in text
    assert CALL["summary"] in text and "uiterlijk 14 februari 2027" in text
    assert [c["id"] for c in world.call("GET", f"/invoices/{invoice}/contacts").json()] == [call["id"]]


def test_the_confirmation_is_in_the_debtors_language(world):  # noqa: F811
    invoice = world.ids[("jansen", "F-1")]
    subjects = {}
    for language in ("en", "de", "fr"):
        with world.container.sessions.begin() as session:
            session.get_one(Debtor, world.ids[("jansen", "debtor")]).language = language
        note = {"summary": f"Agreed in {language}.", "send_confirmation": True}
        confirmation = world.call("POST", f"/invoices/{invoice}/notes", json=note).json()["confirmation_outbound_id"]
        subjects[language] = next(r.subject for r in _outbox(world, invoice) if r.id == confirmation)
    assert subjects == {"en": "Confirmation of our agreement – jansen",
                        "de": "Bestätigung unserer Vereinbarung – jansen",
                        "fr": "Confirmation de notre accord – jansen"}
    # Each confirmation is its own step, numbered: none replaces or blocks another.
    assert sorted(r.step for r in _outbox(world, invoice)) == [
        "agreement_confirmation.1", "agreement_confirmation.2", "agreement_confirmation.3"]


def test_a_note_without_promise_only_lands_on_the_timeline(world):  # noqa: F811
    invoice = world.ids[("jansen", "F-1")]
    before = world.call("GET", f"/invoices/{invoice}/explain").json()["summary"]
    answer = world.call("POST", f"/invoices/{invoice}/notes",
                        json={"summary": "Their accountant approved the invoice.", "contact": "accountant"})
    assert answer.status_code == 201, answer.text
    note = answer.json()
    assert (note["kind"], note["recorded_by"], note["confirmation_outbound_id"]) == ("note", BY_CLERK, None)
    assert note["happened_at"] == note["recorded_at"]  # omitted: now
    assert [e.kind for e in _events(world, invoice)] == ["NoteRecorded"]
    assert _outbox(world, invoice) == []
    assert world.call("GET", f"/invoices/{invoice}/explain").json()["summary"] == before
    # A note on a paid invoice is fine: only promises and confirmations need an unpaid one.
    paid = world.ids[("jansen", "F-2")]
    assert world.call("POST", f"/invoices/{paid}/notes", json={"summary": "Thanked them."}).status_code == 201


def test_another_business_cannot_see_or_add_contacts(world):  # noqa: F811
    theirs = world.ids[("acme", "F-1")]
    world.call("POST", f"/invoices/{theirs}/notes", "acme", json={"summary": "Acme's own note."})
    for method, path, body in (("POST", f"/invoices/{theirs}/notes", {"summary": "x"}),
                               ("POST", f"/invoices/{theirs}/calls", CALL),
                               ("GET", f"/invoices/{theirs}/contacts", None),
                               ("POST", "/invoices/999999/calls", CALL)):
        answer = world.call(method, path, json=body)
        assert answer.status_code == 404, (path, answer.text)
    assert [e.kind for e in _events(world, theirs)] == ["NoteRecorded"]  # nothing of jansen's landed there
    assert world.client.post(f"/invoices/{theirs}/notes", json={"summary": "x"}).status_code == 401


def test_bad_input_is_refused_naming_the_field(world):  # noqa: F811
    invoice = world.ids[("jansen", "F-1")]
    cases = [
        ({}, 422, "summary"),
        ({"summary": "   "}, 422, "summary"),
        ({"summary": "x" * 4001}, 422, "summary"),
        ({"summary": "ok", "happened_at": "2027-02-01T09:00:00"}, 422, "happened_at"),  # no offset
        ({"summary": "ok", "happened_at": "2027-02-02T09:00:00+00:00"}, 422, "happened_at"),  # in the future
        ({"summary": "ok", "promised_date": "2027-01-31"}, 422, "promised_date"),  # already passed
        ({"summary": "ok", "promised_date": "14-02-2027"}, 422, "promised_date"),
        ({"summary": "ok", "send_confirmation": "maybe"}, 422, "send_confirmation"),
        ({"summary": "ok", "promise": "2027-02-14"}, 422, "promise"),  # a misspelt field is not silently dropped
    ]
    for body, status, field in cases:
        answer = world.call("POST", f"/invoices/{invoice}/calls", json=body)
        assert (answer.status_code, field in answer.text) == (status, True), (body, answer.text)
    paid = world.ids[("jansen", "F-2")]
    for body, field in (({"summary": "ok", "promised_date": "2027-02-14"}, "promise"),
                        ({"summary": "ok", "send_confirmation": True}, "confirmation")):
        answer = world.call("POST", f"/invoices/{paid}/calls", json=body)
        assert answer.status_code == 409 and "is paid" in answer.text and field in answer.text
    assert _events(world, invoice) == [] and _events(world, paid) == []


def test_a_retried_call_is_recorded_and_confirmed_once(world):  # noqa: F811
    invoice = world.ids[("jansen", "F-1")]
    headers = {"X-API-Key": world.keys["jansen"], "Idempotency-Key": "call-7f3a"}
    first = world.client.post(f"/invoices/{invoice}/calls", json=CALL, headers=headers)
    again = world.client.post(f"/invoices/{invoice}/calls", json=CALL, headers=headers)
    assert (first.status_code, again.status_code, again.headers.get("Idempotent-Replayed")) == (201, 201, "true")
    assert again.json() == first.json()
    assert [e.kind for e in _events(world, invoice)] == ["CallRecorded", "PromiseToPayRecorded"]
    assert len(_outbox(world, invoice)) == 1
    other = world.client.post(f"/invoices/{invoice}/calls", json={**CALL, "summary": "Something else."},
                              headers=headers)
    assert other.status_code == 409 and "Idempotency-Key" in other.text
