"""The dossier summary's claim per regime (pure domain): what is chargeable is said, and only that is claimed."""

from datetime import UTC, date, datetime
from decimal import Decimal

from worker.domain.dossier import DossierFacts, Party, summary
from worker.domain.law.claim import DebtorLaw
from worker.domain.law.commands import collection_costs_command, interest_command

AS_OF = datetime(2027, 3, 2, 9, tzinfo=UTC)


def _facts(law: DebtorLaw, term_last_day: date | None = None, paid: str = "0.00") -> DossierFacts:
    return DossierFacts(as_of=AS_OF, creditor=Party("Bakkerij"), debtor=Party("Jan Klant"), number="F-9",
                        issue_date=date(2027, 1, 1), due_date=date(2027, 1, 31), currency="EUR",
                        amount_due=Decimal("500.00"), paid=Decimal(paid), status="handed_off", law=law,
                        term_last_day=term_last_day)


def _claim(facts: DossierFacts) -> list[str]:
    return dict(summary(facts))["Claim"]


def test_a_consumer_without_the_14_day_letter_owes_no_costs_yet():
    lines = _claim(_facts(DebtorLaw(consumer=True)))
    wik = collection_costs_command("500.00", consumer=True, today=AS_OF.date())["collection_costs"]
    assert f"Collection costs: EUR {wik} - extrajudicial collection costs (WIK staffel, art. 6:96 BW)" in lines
    assert any(line.startswith("Not chargeable yet: no 14-day letter") for line in lines)
    assert lines[-1] == "Total claim: EUR 500.00"  # the principal only: nothing may be claimed on top yet


def test_a_consumer_after_the_term_owes_wik_and_statutory_interest():
    lines = _claim(_facts(DebtorLaw(consumer=True), term_last_day=date(2027, 2, 20), paid="100.00"))
    interest = interest_command("400.00", date(2027, 2, 1), AS_OF.date(), consumer=True)["interest"]
    wik = collection_costs_command("400.00", consumer=True, today=AS_OF.date())["collection_costs"]
    assert (f"Interest: EUR {interest} - statutory interest (art. 6:119 BW) on the principal, from 2027-02-01 to "
            "2027-03-02") in " ".join(lines)
    assert "Costs and interest are chargeable (since 2027-02-21)." in lines
    paid_to_costs = min(Decimal("100.00"), Decimal(wik))
    assert any(f"costs EUR {paid_to_costs:.2f}" in line for line in lines)
    total = Decimal("500.00") + Decimal(wik) + Decimal(interest) - Decimal("100.00")
    assert lines[-1] == f"Total claim: EUR {total:.2f}"


def test_a_belgian_company_owes_the_fixed_compensation_and_commercial_interest():
    lines = " ".join(_claim(_facts(DebtorLaw(country="BE"))))
    assert "under BE law for a business debtor" in lines
    assert "Collection costs: EUR 40.00 - fixed compensation (EUR 40 per invoice)" in lines
    assert "commercial interest (Belgium" in lines


def test_a_business_that_charges_nothing_claims_the_principal():
    lines = _claim(_facts(DebtorLaw(charges=False), paid="50.00"))
    assert lines[1:] == ["The creditor charges no interest and no costs.", "Principal: EUR 450.00",
                         "Total claim: EUR 450.00"]
