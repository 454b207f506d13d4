"""Every built-in letter renders with the context the tick builds, for every step, tone, regime and language.

Contexts come from the worker's own composition (`compose_reminder`, `compose_business_notice`,
`compose_invoice_problem`), fed with rows and timeline facts like the tick's; a missing placeholder, a
template error or a leftover tag fails the combination it belongs to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from letter_templates.library import DEFAULT_TONE, LANGUAGES, TONES, builtin_names, builtin_path, builtin_template
from worker.adapters.letters import (
    DocumentProblem,
    compose_business_notice,
    compose_invoice_problem,
    compose_reminder,
)
from worker.db.models import Business, Debtor, Invoice
from worker.domain.ladder import instalment_step
from worker.domain.payment_plan import PaymentPlan
from worker.domain.segment_ladders import BE_CONSUMER_LADDERS, BUSINESS_LADDERS, CONSUMER_LADDERS
from worker.domain.step import Step
from worker.usecases.contacts import CONFIRMATION as AGREEMENT
from worker.usecases.invoice_copy import COPY
from worker.usecases.letter_check import (  # the situations uploads are checked in
    EXTRA_CONTEXT,
    FACTS,
    NOW,
    PLAN,
    SETTINGS,
)
from worker.usecases.payment_plans import CONFIRMATION
from worker.usecases.record_steps import THANK_YOU

LADDER_STEPS = {s.name: s for ladders in (BUSINESS_LADDERS, CONSUMER_LADDERS, BE_CONSUMER_LADDERS)
                for steps in ladders.values() for s in steps if s.template is not None}
STEPS: list[tuple[Step, PaymentPlan | None]] = [
    *((s, None) for s in LADDER_STEPS.values()), (THANK_YOU, None), (COPY, None), (CONFIRMATION, PLAN),
    (instalment_step(1), PLAN), (AGREEMENT, None)]


def _own_file(template: str, language: str, tone: str) -> bool:
    # A tone without its own wording in a language falls back to the default file: rendering it twice proves nothing.
    return tone == DEFAULT_TONE or builtin_path(template, language, tone) != builtin_path(template, language)


COMBINATIONS = [(step, plan, facts, tone, consumer, country, language)
                for step, plan in STEPS for facts in FACTS for tone in TONES for consumer in (True, False)
                for country in ("NL", "BE") for language in LANGUAGES
                if _own_file(step.template, language, tone)]


def _rows(consumer: bool, country: str, language: str, paid: str) -> tuple[Business, Debtor, Invoice]:
    business = Business(id=1, name="Bakkerij & Zn.", from_address="billing@bakkerij.example", from_name="Bakkerij",
                        iban="NL91ABNA0417164300", language="nl", settings={"country": country})
    debtor = Debtor(id=2, name="Klant B.V." if not consumer else "Jan Klant", contact_email="jan@klant.example",
                    contact_name="Jan Klant", general_email=None if consumer else "info@klant.example",
                    contact_undeliverable=False, language=language, is_consumer=consumer, offline=False,
                    address="Dorpsstraat 1\n1234 AB Dorp", country=None)
    invoice = Invoice(id=3, number="2027-0001", issue_date=date(2027, 1, 2), due_date=date(2027, 2, 1),
                      currency="EUR", amount_due=Decimal("1210.00"), amount_paid=Decimal(paid), reply_token="t0k3n",
                      payment_reference="RF18 2027 0001", parsed={})
    return business, debtor, invoice


def test_the_matrix_is_complete() -> None:
    names = {s.template for s, _ in STEPS} | {"promise_broken", "business_notice", "invoice_problem"}
    assert names == set(builtin_names())
    # steps x fact sets x (tones with their own file) x consumer/business x NL/BE x languages
    tones = sum(1 for step, _ in STEPS for language in LANGUAGES for tone in TONES
                if _own_file(step.template, language, tone))
    assert len(COMBINATIONS) == tones * 2 * 2 * 2


@pytest.mark.parametrize("step,plan,facts,tone,consumer,country,language", COMBINATIONS,
                         ids=[f"{c[0].name}-{c[2]}-{c[3]}-{'consumer' if c[4] else 'business'}-{c[5]}-{c[6]}"
                              for c in COMBINATIONS])
def test_every_letter_renders_with_the_tick_context(step, plan, facts, tone, consumer, country, language) -> None:
    business, debtor, invoice = _rows(consumer, country, language, "250.00" if facts == "eventful" else "0")
    letter = compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=step, now=NOW,
                              letters=SETTINGS, deadline=date(2027, 3, 22), plan=plan, facts=FACTS[facts],
                              templates=lambda name, lang: builtin_template(name, lang, tone),
                              extra_context=EXTRA_CONTEXT.get(step.template))
    text = letter.message.get_body(("plain",)).get_content()
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert letter.language == language and letter.subject
    assert "2027-0001" in text or step.name.startswith("instalment_")
    if consumer:
        assert letter.addressing.cc == [] and "info@klant.example" not in text
    if country == "BE":  # Belgian law: no Dutch rule is cited
        assert not any(rule in text for rule in ("6:96", "6:119", "6:44", "Besluit vergoeding", "incassokosten"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_notices_to_the_business_render(language) -> None:
    business, _, _ = _rows(False, "NL", language, "0")
    business.language = language
    notice = compose_business_notice(business=business, title="Title", message="Message", action="Do this",
                                     api="PUT /debtors/2", key="k", now=NOW, letters=SETTINGS)
    assert "PUT /debtors/2" in notice.message.get_body(("plain",)).get_content()
    problem = compose_invoice_problem(business=business, filename="f.pdf", received_at=NOW, subject=None,
                                      sender=None, problems=[DocumentProblem("x", "no due date")], key="p", now=NOW,
                                      letters=SETTINGS)
    assert "no due date" in problem.message.get_body(("plain",)).get_content()
