"""The ladder rules on their own (pure): every built-in ladder keeps them, a stored step reads back the same, and
each broken rule names its step and field."""

from dataclasses import replace

import pytest

from worker.domain.ladder_rules import LADDER_TEMPLATES, ladder_problems, step_data, step_from_data
from worker.domain.segment_ladders import BE_CONSUMER_LADDERS, BUSINESS_LADDERS, CONSUMER_LADDERS
from worker.domain.step import Step

ALL_BUILT_IN = [(f"{kind}-{segment.value}", steps, kind != "business")
                for kind, ladders in (("business", BUSINESS_LADDERS), ("nl-consumer", CONSUMER_LADDERS),
                                      ("be-consumer", BE_CONSUMER_LADDERS))
                for segment, steps in ladders.items()]


@pytest.mark.parametrize("steps, consumer", [(s, c) for _, s, c in ALL_BUILT_IN], ids=[n for n, _, _ in ALL_BUILT_IN])
def test_every_built_in_ladder_keeps_the_rules_and_reads_back_the_same(steps, consumer):
    assert ladder_problems(steps, consumer, LADDER_TEMPLATES) == []
    assert tuple(step_from_data(step_data(s)) for s in steps) == steps


def _fields(steps, consumer=False) -> list[str]:
    return [p.field for p in ladder_problems(steps, consumer, LADDER_TEMPLATES)]


def test_each_rule_names_its_step_and_field():
    ladder = list(BUSINESS_LADDERS[next(iter(BUSINESS_LADDERS))])  # arrival_check, courtesy, ... handoff
    assert _fields([]) == ["steps"]
    assert _fields([*ladder, Step("more", 1, "reminder", anchor="previous")]) == [f"steps[{len(ladder)}].template"]
    assert _fields([ladder[0], ladder[1], replace(ladder[2], offset_days=-3), *ladder[3:]]) == ["steps[2].offset_days"]
    assert _fields([ladder[1], ladder[0], *ladder[2:]]) == ["steps[1].anchor"]  # invoice-date steps come first
    assert _fields([*ladder[:-1], replace(ladder[-1], offset_days=0)]) == [f"steps[{len(ladder) - 1}].offset_days"]
    assert _fields([*ladder[:2], replace(ladder[2], name="courtesy"), *ladder[3:]]) == ["steps[2].name"]
    assert _fields([*ladder[:-1], replace(ladder[-1], claims=True)]) == [f"steps[{len(ladder) - 1}].template"]
    twice = [*ladder[:4], replace(ladder[4], name="final_1", offset_days=30, template="final_notice"), *ladder[5:]]
    assert _fields(twice) == ["steps[5].template"]  # the built-in final notice is the second one


def test_consumer_costs_wait_for_the_14_day_letter_and_its_term():
    consumer = list(CONSUMER_LADDERS[next(iter(CONSUMER_LADDERS))])
    term = next(i for i, s in enumerate(consumer) if s.statutory_term)
    assert _fields(consumer, consumer=True) == []
    assert _fields(consumer, consumer=False) == []  # a business debtor may get the same letters
    without = [s for s in consumer if not s.statutory_term]
    assert f"steps[{term}].claims" in _fields(without, consumer=True)  # the last reminder claims, unannounced
    assert _fields(without, consumer=False) == []
    inside = [*consumer[:term + 1], replace(consumer[term + 1], anchor="due", offset_days=40), *consumer[term + 2:]]
    assert f"steps[{term + 1}].anchor" in _fields(inside, consumer=True)
    early = [*consumer[:term], replace(consumer[term], offset_days=0), *consumer[term + 1:]]
    assert f"steps[{term}].offset_days" in _fields(early, consumer=True)
    wrong_letter = [*consumer[:term], replace(consumer[term], template="firm_reminder"), *consumer[term + 1:]]
    assert f"steps[{term}].template" in _fields(wrong_letter, consumer=True)
