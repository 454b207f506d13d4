"""Every table and column is classified as a fact of the reminder decision or not (see worker.db.fact_changes):
a new model or column fails here until someone decides whether its change must wake the tick."""

from worker.db.fact_changes import FACT_COLUMNS, NOT_FACT_COLUMNS, NOT_FACT_MODELS
from worker.db.models import Base


def test_every_model_is_a_fact_or_explicitly_not():
    models = {mapper.class_ for mapper in Base.registry.mappers}
    assert not set(FACT_COLUMNS) & NOT_FACT_MODELS
    unclassified = models - set(FACT_COLUMNS) - NOT_FACT_MODELS
    assert not unclassified, f"classify these in worker/db/fact_changes.py: {sorted(m.__name__ for m in unclassified)}"
    assert set(FACT_COLUMNS) == set(NOT_FACT_COLUMNS)


def test_every_column_of_a_fact_model_is_classified_once():
    for model, facts in FACT_COLUMNS.items():
        columns = {attr.key for attr in model.__mapper__.column_attrs}
        assert not facts & NOT_FACT_COLUMNS[model], model.__name__
        assert facts | NOT_FACT_COLUMNS[model] == columns, (
            f"{model.__name__}: classify {sorted(columns - facts - NOT_FACT_COLUMNS[model])} in "
            "worker/db/fact_changes.py (stale: {sorted((facts | NOT_FACT_COLUMNS[model]) - columns)})")


def test_the_tick_s_own_column_never_marks():
    from worker.db.models import Invoice

    assert "next_action_at" in NOT_FACT_COLUMNS[Invoice]
