"""The hand-off dossier: the ladder runs to its end on a real database, then the ZIP holds the summary, the
invoice, every letter and every message received, and the PDF's claim matches `dunning interest` and
`dunning collection-costs` to the cent, with the part payment allocated per art. 6:44 BW."""

import hashlib
import io
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage

from sqlalchemy import select

from tests.api.contacts_world import BY_CLERK, NOW, world  # noqa: F401 - the fixture
from tests.api.ladder_days import AMS, pdf_text, run_ladder_to_its_end
from worker.db.models import Business, InboundMessage, Invoice, TimelineEvent
from worker.domain.law.commands import collection_costs_command, interest_command

PDF_BYTES = b"%PDF-1.4\n% the invoice as the business sent it\n%%EOF\n"


def _invoice_mail() -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "billing@jansen.example", "ap@jansen-klant.example", "Factuur F-1"
    mail["Message-ID"] = "<f-1@jansen.example>"
    mail.set_content("Bijgaand factuur F-1.")
    mail.add_attachment(PDF_BYTES, maintype="application", subtype="pdf", filename="factuur F-1.pdf")
    return mail.as_bytes()


def _out_of_office() -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "ap@jansen-klant.example", "billing@jansen.example", "Afwezig"
    mail["Message-ID"] = "<ooo-1@jansen-klant.example>"
    mail.set_content("Ik ben afwezig tot 1 maart.")
    return mail.as_bytes()


def _prepare(world) -> None:  # noqa: F811
    """The invoice came in a real mail with its PDF, the business claims WIK costs, an out-of-office came back."""
    invoice_id = world.ids[("jansen", "F-1")]
    with world.container.sessions.begin() as session:
        invoice = session.get_one(Invoice, invoice_id)
        business = session.get_one(Business, invoice.business_id)
        business.settings = {**business.settings, "b2b_costs": "wik"}
        source = InboundMessage(message_key="f-1", business_id=business.id, raw=_invoice_mail(),
                                status="processed", received_at=NOW - timedelta(days=50), kind="invoice")
        ooo = InboundMessage(message_key="ooo-1", business_id=business.id, raw=_out_of_office(),
                             status="processed", received_at=NOW + timedelta(days=3), kind="auto_reply")
        session.add_all([source, ooo])
        session.flush()
        invoice.source_message_id = source.id
        session.add(TimelineEvent(kind="AutoReplyReceived", at=NOW + timedelta(days=3), business_id=business.id,
                                  invoice_id=invoice_id, debtor_id=invoice.debtor_id, inbound_message_id=ooo.id,
                                  data={"subject": "Afwezig", "matched_by": "reply_token"}))


def test_the_dossier_of_a_handed_off_invoice_states_the_claim_the_commands_compute(world):  # noqa: F811
    invoice_id = world.ids[("jansen", "F-1")]
    _prepare(world)
    paid = world.call("POST", f"/invoices/{invoice_id}/payments", json={"amount": "210.00"})
    assert paid.status_code == 200, paid.text
    world.call("POST", f"/invoices/{invoice_id}/notes", json={"summary": "Called twice, no answer."})
    handed_off = run_ladder_to_its_end(world, invoice_id, datetime(2027, 2, 1, 10, tzinfo=AMS))
    world.container.clock.now = handed_off + timedelta(days=9)  # the clerk asks for it days later

    answer = world.call("GET", f"/invoices/{invoice_id}/dossier")

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["x-dossier-as-of"] == handed_off.isoformat()  # the dossier the hand-off produced
    assert answer.headers["x-dossier-sha256"] == hashlib.sha256(answer.content).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = archive.namelist()
    assert names[0] == "invoice/01-factuur_F-1.pdf" and archive.read(names[0]) == PDF_BYTES
    assert "invoice/original-mail.eml" in names and "summary.pdf" in names
    letters = [n for n in names if n.startswith("letters/")]
    steps = [n.split("-", 4)[-1] for n in letters]
    assert len(letters) >= 3 and all(n.endswith(".eml") for n in letters), names
    assert any("final_notice" in s for s in steps), steps
    [received] = [n for n in names if n.startswith("received/")]
    assert archive.read(received) == _out_of_office()

    text = pdf_text(archive.read("summary.pdf"))
    day = handed_off.date()
    interest = interest_command("1000.00", datetime(2027, 1, 13).date(), day, consumer=False)
    costs = collection_costs_command("1000.00", consumer=False, today=day)
    assert "Creditor: jansen" in text and "Debtor: Klant B.V." in text and "Invoice number: F-1" in text
    assert "Principal: EUR 1000.00" in text
    assert f"Interest: EUR {interest['interest']} - commercial interest (art. 6:119a BW)" in text
    assert f"from 2027-01-13 to {day.isoformat()}" in text
    assert f"Collection costs: EUR {costs['collection_costs']} - extrajudicial collection costs (WIK" in text
    # 6:44 BW: the 210.00 paid goes to the costs first, then the interest, then the principal.
    to_costs = min(Decimal("210.00"), Decimal(costs["collection_costs"]))
    to_interest = min(Decimal("210.00") - to_costs, Decimal(interest["interest"]))
    to_principal = Decimal("210.00") - to_costs - to_interest
    assert f"costs EUR {to_costs}, interest EUR {to_interest}, principal EUR {to_principal}" in text, text
    total = Decimal(costs["collection_costs"]) + Decimal(interest["interest"]) + Decimal("1210.00") - Decimal("210")
    assert f"Total claim: EUR {total:.2f}" in text
    assert "channel: email" in text and "final_notice" in text and "auto-reply: Afwezig" in text
    assert f"recorded by {BY_CLERK}: Called twice, no answer." in text

    # Reproducible: asked again later, the same bytes; each time on the timeline with who took it.
    world.container.clock.now += timedelta(days=30)
    again = world.call("GET", f"/invoices/{invoice_id}/dossier")
    assert again.content == answer.content
    with world.container.sessions() as session:
        made = session.scalars(select(TimelineEvent.data).where(
            TimelineEvent.invoice_id == invoice_id, TimelineEvent.kind == "DossierMade")).all()
    assert [(m["by"], m["sha256"]) for m in made] == [(BY_CLERK, answer.headers["x-dossier-sha256"])] * 2


def test_a_dossier_on_demand_describes_the_day_asked_for(world):  # noqa: F811
    invoice_id = world.ids[("jansen", "F-1")]
    answer = world.call("GET", f"/invoices/{invoice_id}/dossier", params={"as_of": "2027-01-31"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-dossier-as-of"].startswith("2027-01-31T23:59:59.999999+01:00")
    text = pdf_text(zipfile.ZipFile(io.BytesIO(answer.content)).read("summary.pdf"))
    interest = interest_command("1210.00", datetime(2027, 1, 13).date(), datetime(2027, 1, 31).date(), False)
    assert f"Interest: EUR {interest['interest']}" in text
    # Not a WIK business: EUR 40 per invoice (art. 6:96 lid 4 BW).
    assert "Collection costs: EUR 40.00 - fixed compensation" in text
    assert world.call("GET", f"/invoices/{invoice_id}/dossier").headers["x-dossier-as-of"] == NOW.isoformat()


def test_dossier_refusals(world):  # noqa: F811
    theirs = world.ids[("acme", "F-1")]
    assert world.call("GET", f"/invoices/{theirs}/dossier").status_code == 404
    assert world.call("GET", "/invoices/2147483647/dossier").status_code == 404
    assert world.client.get(f"/invoices/{theirs}/dossier").status_code == 401
    ours = world.ids[("jansen", "F-1")]
    for bad in ("2027-02-02", "yesterday", "2027-13-01"):
        answer = world.call("GET", f"/invoices/{ours}/dossier", params={"as_of": bad})
        assert answer.status_code == 422 and "as_of" in answer.text, (bad, answer.text)
    with world.container.sessions.begin() as session:
        session.get_one(Invoice, ours).due_date = None
    answer = world.call("GET", f"/invoices/{ours}/dossier")
    assert answer.status_code == 409 and "due date" in answer.text
    with world.container.sessions() as session:
        assert session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "DossierMade")).all() == []
