"""The next reminder the tick records is rendered from the business's uploaded template, not the built-in."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes, policy

from docx import Document
from sqlalchemy import select

from letter_templates.library import builtin_template
from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice, OutboundMessage
from worker.db.session import make_engine, make_session_factory
from worker.usecases.businesses import create_business
from worker.usecases.render_outbound import ensure_rendered
from worker.usecases.templates import upload_template
from worker.usecases.tick import run_tick

NOW = datetime(2027, 1, 14, 9, tzinfo=UTC)  # due + 2: the reminder step, inside the sending window
WORDING = "Wij zien uw betaling graag deze week nog tegemoet."


def test_tick_renders_the_uploaded_reminder(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    document = Document(io.BytesIO(builtin_template("reminder", "nl")))
    document.add_paragraph(WORDING)
    edited = io.BytesIO()
    document.save(edited)
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        upload_template(session, business_id=business.id, debtor_id=None, name="reminder", language="nl",
                        docx=edited.getvalue(), uploaded_by="test", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", issue_date=date(2026, 12, 13),
                            due_date=date(2027, 1, 12), currency="EUR", amount_due=Decimal("121.00"),
                            amount_paid=Decimal(0), status="open", reply_token="tok", parsed={}, created_at=NOW))
    report = run_tick(sessions, NOW, LetterSettings("invoices@service.test", "service.test", None), lambda *_: None)
    assert len(report.recorded) == 1
    with sessions.begin() as session:  # the tick records the decision; the letter is rendered outside it
        assert session.scalars(select(OutboundMessage.raw)).one() == b""
    assert ensure_rendered(sessions, report.recorded[0], LetterSettings("invoices@service.test", "service.test", None),
                           NOW)
    with sessions.begin() as session:
        raw = session.scalars(select(OutboundMessage.raw)).one()
    text = message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    assert WORDING in text and "F-1" in text
