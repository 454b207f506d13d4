"""The finance story, through the API on a real database with the real tick: a quarantined reply is assigned from
the review queue and pauses the invoice; a phone call with a promised date holds the ladder and sends the debtor a
written confirmation; a ladder changed through the API applies from the next step; the last step produces a
dossier whose PDF states the claim with WIK and interest matching `dunning collection-costs` and `dunning interest`."""

import io
import zipfile
from datetime import date, datetime
from email import message_from_bytes, policy

from sqlalchemy import select

from tests.api.contacts_world import BY_CLERK, world  # noqa: F401 - the fixture
from tests.api.ladder_days import AMS, LETTERS, Recording, pdf_text, run_ladder_to_its_end, tick_day
from worker.api.ladders import EXAMPLE_STEPS
from worker.db.models import Business, InboundMessage, OutboundMessage
from worker.domain.law.commands import collection_costs_command, interest_command
from worker.usecases.send import send_outbound

QUESTION = (b"From: Anna de Vries <ap@jansen-klant.example>\r\nTo: billing@jansen.example\r\n"
            b"Subject: factuur\r\nMessage-ID: <q-1@jansen-klant.example>\r\n\r\n"
            b"Kunt u mij bellen over deze rekening? Ik begrijp het bedrag niet helemaal.\r\n")
def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=10), AMS)


def _steps(world, invoice_id: int) -> list[str]:  # noqa: F811
    """The letters to the debtor about this invoice, in order (notices to the business left out)."""
    with world.container.sessions() as session:
        steps = session.scalars(select(OutboundMessage.step).where(OutboundMessage.invoice_id == invoice_id)
                                .order_by(OutboundMessage.id))
        return [s for s in steps if not s.startswith("notice:")]


def test_finance_story_review_call_ladder_change_and_dossier(world):  # noqa: F811
    invoice_id = world.ids[("jansen", "F-1")]  # EUR 1,210.00, due 12 January 2027
    with world.container.sessions.begin() as session:
        business = session.scalars(select(Business).where(Business.name == "jansen")).one()
        business.settings = {**business.settings, "b2b_costs": "wik", "charge_costs": True}
        message = InboundMessage(business_id=business.id, message_key="<q-1@jansen-klant.example>", raw=QUESTION,
                                 from_address="ap@jansen-klant.example", subject="factuur", status="quarantined",
                                 reason="reply not matched to an invoice", received_at=world.container.clock.now)
        session.add(message)
        session.flush()
        message_id = message.id

    # 1. The reply nobody could match waits in the review queue; finance assigns it and the invoice pauses.
    [queued] = world.call("GET", "/review").json()["quarantined"]
    assert queued["id"] == message_id and "assign" in queued["actions"]
    assigned = world.call("POST", f"/review/messages/{message_id}/assign", json={"invoice_id": invoice_id})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["invoice"]["status"] == "paused"
    sender = Recording()
    tick_day(world, _at(date(2027, 2, 2)), sender)
    assert _steps(world, invoice_id) == []  # paused: the ladder waits for a person

    # 2. Finance calls back, the question is answered, the debtor promises to pay by 15 February: the ladder holds
    #    and the debtor gets the agreement in writing, once.
    world.container.clock.now = _at(date(2027, 2, 3))
    resumed = world.call("POST", f"/invoices/{invoice_id}/resume", json={"note": "Explained by phone."})
    assert resumed.status_code == 200, resumed.text
    call = world.call("POST", f"/invoices/{invoice_id}/calls", json={
        "contact": "Anna de Vries", "summary": "Amount explained; pays in full by 15 February.",
        "promised_date": "2027-02-15", "send_confirmation": True})
    assert call.status_code in (200, 201), call.text
    [confirmation] = _steps(world, invoice_id)
    assert confirmation.startswith("agreement_confirmation")
    with world.container.sessions() as session:
        row_id = session.scalars(select(OutboundMessage.id).where(OutboundMessage.invoice_id == invoice_id)).one()
    assert send_outbound(world.container.sessions, sender, row_id, _at(date(2027, 2, 3)),
                         letters=lambda: LETTERS) == "sent"
    to_debtor = [m for m in (message_from_bytes(b, policy=policy.default) for b in sender.sent)
                 if m["To"].addresses[0].addr_spec == "ap@jansen-klant.example"]
    assert len(to_debtor) == 1, [m["To"] for m in (message_from_bytes(b, policy=policy.default) for b in sender.sent)]
    for day in range(4, 19):  # the promise and its grace days: nothing goes out
        tick_day(world, _at(date(2027, 2, day)), sender)
    assert _steps(world, invoice_id) == [confirmation]
    explained = world.call("GET", f"/invoices/{invoice_id}/explain").json()
    assert "promised to pay by 2027-02-15" in explained["summary"] + " ".join(explained["reasons"])

    # 3. The promise is broken; the ladder resumes. After its first letter, finance changes the ladder through the
    #    API (the API's own example: no final notice, the hand-off ten days after the last letter). The change
    #    applies from the next step.
    tick_day(world, _at(date(2027, 2, 19)), sender)
    tick_day(world, _at(date(2027, 2, 22)), sender)
    assert _steps(world, invoice_id) == [confirmation, "reminder"]
    changed = world.call("PUT", "/ladders", json={"segment": "new", "debtor_kind": "business",
                                                  "steps": EXAMPLE_STEPS})
    assert changed.status_code == 200, changed.text
    timeline = world.call("GET", f"/invoices/{invoice_id}").json()["timeline"]
    assert [e for e in timeline if e["kind"] == "LadderChanged"]
    handed_off = run_ladder_to_its_end(world, invoice_id, _at(date(2027, 2, 23)), sender)
    # The changed ladder's steps after the first letter, each once; no final notice.
    assert _steps(world, invoice_id) == [confirmation, "reminder", "firm_reminder", "last_reminder"]
    with world.container.sessions() as session:
        last_sent = session.scalars(select(OutboundMessage.sent_at).where(
            OutboundMessage.invoice_id == invoice_id, OutboundMessage.step == "last_reminder")).one()
    assert (handed_off.astimezone(AMS).date() - last_sent.astimezone(AMS).date()).days >= 10

    # 4. The last step: the dossier for the collection agency states the claim the law commands compute.
    dossier = world.call("GET", f"/invoices/{invoice_id}/dossier")
    assert dossier.status_code == 200, dossier.text
    archive = zipfile.ZipFile(io.BytesIO(dossier.content))
    assert "summary.pdf" in archive.namelist()
    assert any(n.startswith("received/") for n in archive.namelist())  # the assigned reply is in it
    text = pdf_text(archive.read("summary.pdf"))
    day = handed_off.astimezone(AMS).date()
    interest = interest_command("1210.00", date(2027, 1, 13), day, consumer=False)
    costs = collection_costs_command("1210.00", consumer=False, today=day)
    assert f"Interest: EUR {interest['interest']} - commercial interest (art. 6:119a BW)" in text, text
    assert f"Collection costs: EUR {costs['collection_costs']} - extrajudicial collection costs (WIK" in text, text
    assert f"recorded by {BY_CLERK}" in text  # the call is part of the record
