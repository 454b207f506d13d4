"""A business's sender list: no free-mail domains, no domain or address another business holds."""

from datetime import UTC, datetime

import pytest

from worker.db.models import Base
from worker.db.session import make_engine, make_session_factory
from worker.usecases.businesses import (
    SenderListRejected,
    checked_senders,
    create_business,
    new_ingest_address,
    rotate_ingest_address,
)

NOW = datetime(2026, 11, 30, tzinfo=UTC)


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine).begin() as session:
        create_business(session, name="Jansen", senders=["billing@jansen.nl", "jan.jansen@gmail.com"],
                        from_address="billing@jansen.nl", service_address="invoices@svc.test", now=NOW)
        yield session


@pytest.mark.parametrize(("entries", "message"), [
    (["@gmail.com"], "free-mail domain"),
    (["@hotmail.com"], "free-mail domain"),
    (["@ziggo.nl"], "free-mail domain"),
    (["@jansen.nl"], "another business"),
    (["boekhouding@jansen.nl"], "another business"),
    (["jan.jansen@gmail.com"], "another business"),
    (["not-an-address"], "neither an e-mail address nor an @domain"),
])
def test_claims_that_are_refused(session, entries, message):
    with pytest.raises(SenderListRejected, match=message):
        checked_senders(session, entries, business_id=None)


def test_claims_that_are_fine(session):
    assert checked_senders(session, [" @Acme.nl ", "piet@gmail.com", "@acme.nl"], business_id=None) == [
        "@acme.nl", "piet@gmail.com"]


def test_ingest_addresses_are_secret_plus_addresses_and_rotate(session):
    first, second = new_ingest_address("invoices@svc.test"), new_ingest_address("invoices@svc.test")
    assert first != second and first.startswith("invoices+in-") and first.endswith("@svc.test")
    assert len(first.split("+in-")[1].split("@")[0]) >= 26  # 130 bits of entropy
    business, _ = create_business(session, name="Acme", senders=[], from_address="a@acme.nl",
                                  service_address="invoices@svc.test", now=NOW)
    old = business.ingest_address
    new = rotate_ingest_address(session, business, "invoices@svc.test")
    assert new != old and business.retired_ingest_addresses == [old]
