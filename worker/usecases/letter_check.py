"""Check a staff template against the contexts the tick really builds for its letter, before it is used.

Lint checks the placeholders against the vocabulary; this renders the template the way the tick would, for a
consumer and a company, under Dutch and Belgian law, with and without a part payment and a broken promise,
so an upload that would fail in the tick (an undefined name, a filter on an empty value) is refused instead.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from letter_templates.context import Contact
from letter_templates.problems import TemplateError, TemplateProblem
from worker.adapters.letters import (
    DocumentProblem,
    LetterFacts,
    LetterSettings,
    compose_business_notice,
    compose_invoice_problem,
    compose_reminder,
)
from worker.db.models import Business, Debtor, Invoice
from worker.domain.ladder import instalment_step
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.segment_ladders import BE_CONSUMER_LADDERS, BUSINESS_LADDERS, CONSUMER_LADDERS
from worker.domain.step import Step

NOW = datetime(2027, 3, 15, 9, tzinfo=UTC)
SETTINGS = LetterSettings("invoices@dunning.example", "dunning.example", pdf=None)
PLAN = PaymentPlan((Instalment(date(2027, 3, 20), Decimal("600.00")),
                    Instalment(date(2027, 4, 20), Decimal("610.00"))))
_HISTORY = (Contact(date(2027, 1, 2), "invoice_sent", detail="2027-0001"),
            Contact(date(2027, 2, 3), "step:reminder", who="jan@klant.example"),
            Contact(date(2027, 2, 10), "promise", detail=date(2027, 2, 20)))
# Plain: letters as they follow one another. Eventful: a part payment came in and a promise was broken.
FACTS = {
    "plain": LetterFacts(history=_HISTORY[:2], last_letter_on=date(2027, 2, 3), term_last_day=date(2027, 2, 28)),
    "eventful": LetterFacts(history=_HISTORY, promised=date(2027, 2, 20), promised_at=date(2027, 2, 10), promises=2,
                            last_letter_on=date(2027, 2, 3), term_last_day=date(2027, 2, 28),
                            paid_on=date(2027, 3, 1)),
}
_SPECIAL = {"thank_you": Step("thank_you", 0, "thank_you"), "invoice_copy": Step("invoice_copy", 0, "invoice_copy"),
            "payment_plan_confirmation": Step("payment_plan_confirmation", 0, "payment_plan_confirmation"),
            "instalment_reminder": instalment_step(1),
            # the broken-promise letter replaces a ladder letter once a promise was not kept
            "promise_broken": Step("last_reminder", 28, "last_reminder", to_general_address=True, claims=True)}


# A letter's own group beside the ladder's context, as its use case passes it (see worker.usecases.contacts).
EXTRA_CONTEXT: dict[str, dict] = {
    "agreement_confirmation": {"agreement": {"on": date(2027, 3, 12), "phone": True, "contact": "Jan Klant",
                                             "summary": "Pays 2027-0001 in full by 20 March.",
                                             "promised_date": date(2027, 3, 20)}},
}


def ladder_steps() -> dict[str, Step]:
    """Every letter step of the built-in ladders, by template name."""
    return {s.template: s for ladders in (BUSINESS_LADDERS, CONSUMER_LADDERS, BE_CONSUMER_LADDERS)
            for steps in ladders.values() for s in steps if s.template is not None}


def step_for(template: str) -> tuple[Step, PaymentPlan | None]:
    """The step (and payment plan) a letter of this template name is written for."""
    step = ladder_steps().get(template) or _SPECIAL.get(template) or Step(template, 0, template)
    return step, PLAN if template in ("payment_plan_confirmation", "instalment_reminder") else None


def sample_rows(consumer: bool, country: str, language: str, paid: str = "0") -> tuple[Business, Debtor, Invoice]:
    """Unsaved rows shaped like the tick's: a business in `country`, a consumer or company, one overdue invoice."""
    business = Business(id=1, name="Bakkerij & Zn.", from_address="billing@bakkerij.example", from_name="Bakkerij",
                        iban="NL91ABNA0417164300", language=language, settings={"country": country})
    debtor = Debtor(id=2, name="Jan Klant" if consumer else "Klant B.V.", contact_email="jan@klant.example",
                    contact_name="Jan Klant", general_email=None if consumer else "info@klant.example",
                    contact_undeliverable=False, language=language, is_consumer=consumer, offline=False,
                    address="Dorpsstraat 1\n1234 AB Dorp", country=None, email_consent=False)
    invoice = Invoice(id=3, number="2027-0001", issue_date=date(2027, 1, 2), due_date=date(2027, 2, 1),
                      currency="EUR", amount_due=Decimal("1210.00"), amount_paid=Decimal(paid), reply_token="t0k3n",
                      payment_reference="RF18 2027 0001", parsed={})
    return business, debtor, invoice


def check_template_for_step(docx: bytes, name: str, language: str) -> list[TemplateProblem]:
    """Every distinct problem rendering `docx` as letter `name` (e.g. `last_reminder` or `reminder.informal`)
    in `language` with the tick's contexts; empty when it renders in every situation."""
    letter = name.partition(".")[0]
    found: dict[str, TemplateProblem] = {}

    def source(_name: str, _language: str) -> bytes:
        return docx

    for consumer in (False, True):
        for country in ("NL", "BE"):
            for facts_name, facts in FACTS.items():
                business, debtor, invoice = sample_rows(consumer, country, language,
                                                        "250.00" if facts_name == "eventful" else "0")
                try:
                    _render(letter, business, debtor, invoice, facts, source)
                except TemplateError as exc:
                    situation = (f"in a letter to a {'consumer' if consumer else 'company'} under "
                                 f"{'Belgian' if country == 'BE' else 'Dutch'} law"
                                 + (" after a part payment and a broken promise" if facts_name == "eventful" else ""))
                    for problem in exc.problems:
                        found.setdefault(str(problem), replace(problem, message=f"{problem.message} ({situation})"))
    return list(found.values())


def _render(letter: str, business: Business, debtor: Debtor, invoice: Invoice, facts: LetterFacts, source) -> None:  # type: ignore[no-untyped-def]
    if letter == "business_notice":
        compose_business_notice(business=business, title="Title", message="Message", action="Action",
                                api="PUT /debtors/2", key="check", now=NOW, letters=SETTINGS, templates=source)
    elif letter == "invoice_problem":
        compose_invoice_problem(business=business, filename="f.pdf", received_at=NOW, subject="Factuur",
                                sender="billing@bakkerij.example", problems=[DocumentProblem("x", "no due date")],
                                key="check", now=NOW, letters=SETTINGS, templates=source)
    else:
        step, plan = step_for(letter)
        compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=step, now=NOW, letters=SETTINGS,
                         deadline=date(2027, 3, 22), plan=plan, facts=facts, templates=source,
                         extra_context=EXTRA_CONTEXT.get(letter))
