"""The debtor's language: from the invoice, then from its replies, never over what a person set."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import parsers.reply as reply_parsers
from worker.db.models import Base, Business, Debtor
from worker.domain.letter_plan import law_country, letter_language
from worker.usecases.debtor_language import learn_reply_language
from worker.usecases.debtors import update_debtor

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Business(id=1, name="B", from_address="b@b.example", from_name="B", language="nl",
                             api_key_hash="x", created_at=NOW))
        session.add(Debtor(id=2, business_id=1, contact_email="d@d.example", language="nl", created_at=NOW))
        session.flush()
        yield session


def test_a_reply_in_english_switches_the_letters_unless_a_person_chose(session, monkeypatch) -> None:
    monkeypatch.setattr(reply_parsers, "reply_language", lambda text: "en", raising=False)
    debtor = session.get(Debtor, 2)
    assert learn_reply_language(session, debtor, "We will pay on Friday.", now=NOW) == "en"
    assert debtor.language == "en"
    update_debtor(session, debtor, {"language": "nl"}, NOW)
    assert learn_reply_language(session, debtor, "Thanks, paid.", now=NOW) is None and debtor.language == "nl"


def test_precedence_of_language_and_country() -> None:
    assert letter_language(None, "en", "nl") == "en" and letter_language("fr", "en", "nl") == "fr"
    assert letter_language(None, "sv", "nl") == "nl"
    # a person's choice on the debtor, then the business's country, then the invoice's buyer country
    assert law_country("BE", "NL", None) == "BE" and law_country(None, "BE", "NL") == "BE"
    assert law_country(None, None, "be") == "BE" and law_country(None, None, "DE") == "NL"


def test_a_new_debtor_takes_language_and_postal_address_from_the_invoice(session) -> None:
    from types import SimpleNamespace

    from worker.usecases.invoice_intake import _find_or_create_debtor

    buyer = SimpleNamespace(name="Customer Ltd", address="1 High Street\nLondon", general_email=None)
    parsed = SimpleNamespace(buyer=buyer, language="en")
    business = session.get(Business, 1)
    debtor = _find_or_create_debtor(session, business, parsed, "ap@customer.example", NOW)
    assert (debtor.language, debtor.address) == ("en", "1 High Street\nLondon")
    update_debtor(session, debtor, {"address": "2 Low Road\nLeeds"}, NOW)  # what a person set stays
    again = _find_or_create_debtor(session, business, SimpleNamespace(buyer=buyer, language="nl"),
                                   "ap@customer.example", NOW)
    assert (again.language, again.address) == ("en", "2 Low Road\nLeeds")
