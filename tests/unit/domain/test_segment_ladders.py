"""Built-in ladders per segment, walked day by day over real Dutch public holidays of 2027."""

from datetime import date
from decimal import Decimal

import holidays
import pytest

from tests.unit.domain.ledger import Invoice, Ledger, mornings
from worker.domain.segment_ladders import BUSINESS_LADDERS, CONSUMER_LADDERS, policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow

# Good Friday 26 March, Easter Monday 29 March, King's Day 27 April 2027 (from the `holidays` package,
# as the worker computes them)
NL_2027 = frozenset(holidays.country_holidays("NL", years=[2027]).keys())
WINDOW = SendingWindow(holidays=NL_2027)
ISSUED, DUE = date(2027, 2, 3), date(2027, 3, 3)  # 28 days' term, due on a Wednesday


@pytest.mark.parametrize(
    ("segment", "consumer", "expected"),
    [
        # arrival check 3 days after the invoice (Sat 6 Feb -> Mon 8); reminder +2 waits for the 5-day gap
        (Segment.NEW, False, [("arrival_check", "2027-02-08"), ("courtesy", "2027-03-01"),
                              ("reminder", "2027-03-08"), ("firm_reminder", "2027-03-17"),
                              ("last_reminder", "2027-03-31"), ("final_notice", "2027-04-07"),
                              ("handoff", "2027-04-15")]),
        # the 14-day letter of Wed 17 March: term 18..31 March; the next step comes on 1 April
        (Segment.NEW, True, [("arrival_check", "2027-02-08"), ("courtesy", "2027-03-01"),
                             ("reminder", "2027-03-08"), ("fourteen_day_letter", "2027-03-17"),
                             ("last_reminder", "2027-04-01"), ("final_notice", "2027-04-08"),
                             ("handoff", "2027-04-16")]),
        # trusted payers: later and gentler; steps on Saturdays move to Monday
        (Segment.ON_TIME, False, [("courtesy", "2027-03-01"), ("reminder", "2027-03-08"),
                                  ("firm_reminder", "2027-03-22"), ("last_reminder", "2027-04-05"),
                                  ("final_notice", "2027-04-12"), ("handoff", "2027-04-20")]),
        (Segment.ON_TIME, True, [("courtesy", "2027-03-01"), ("reminder", "2027-03-08"),
                                 ("fourteen_day_letter", "2027-03-22"), ("last_reminder", "2027-04-06"),
                                 ("final_notice", "2027-04-13"), ("handoff", "2027-04-21")]),
        (Segment.OCCASIONALLY_LATE, False, [("courtesy", "2027-03-01"), ("reminder", "2027-03-08"),
                                            ("firm_reminder", "2027-03-17"), ("last_reminder", "2027-03-31"),
                                            ("final_notice", "2027-04-07"), ("handoff", "2027-04-15")]),
        (Segment.OCCASIONALLY_LATE, True, [("courtesy", "2027-03-01"), ("reminder", "2027-03-08"),
                                           ("fourteen_day_letter", "2027-03-17"), ("last_reminder", "2027-04-01"),
                                           ("final_notice", "2027-04-08"), ("handoff", "2027-04-16")]),
        # final notice due Sat 27 March: Easter Monday is closed too, so Tuesday 30 March; deadline 6 April
        (Segment.CHRONICALLY_LATE, False, [("courtesy", "2027-02-26"), ("reminder", "2027-03-04"),
                                           ("firm_reminder", "2027-03-11"), ("last_reminder", "2027-03-22"),
                                           ("final_notice", "2027-03-30"), ("handoff", "2027-04-07")]),
        # the 14-day term ends Thu 25 March; Good Friday to Easter Monday are closed
        (Segment.CHRONICALLY_LATE, True, [("courtesy", "2027-02-26"), ("reminder", "2027-03-04"),
                                          ("fourteen_day_letter", "2027-03-11"), ("last_reminder", "2027-03-30"),
                                          ("final_notice", "2027-04-06"), ("handoff", "2027-04-14")]),
    ],
)
def test_ladder_walked_day_by_day(segment, consumer, expected):
    ledger = Ledger({1: policy_for(segment, consumer, WINDOW)})
    ledger.add(Invoice(1, 1, ISSUED, DUE, Decimal("100")))
    for now in mornings(date(2027, 2, 1), date(2027, 6, 1)):
        ledger.tick(now)
    assert [(s.step, s.on.isoformat()) for s in ledger.log] == expected


@pytest.mark.parametrize("ladders", [BUSINESS_LADDERS, CONSUMER_LADDERS])
def test_every_ladder_follows_good_practice(ladders):
    for segment, steps in ladders.items():
        names = [s.name for s in steps]
        assert names[-1] == "handoff" and steps[-1].template is None, segment
        assert steps[names.index("courtesy")].offset_days < 0  # a reminder before the due date
        assert steps[names.index("reminder")].tone in ("friendly", "neutral", "firm")
        assert steps[names.index("last_reminder")].recipients == "general_with_contact_cc"
        final = steps[names.index("final_notice")]
        assert final.deadline_days == 7 and final.to_general_address and final.tone == "stern"
        assert ("fourteen_day_letter" in names) is (ladders is CONSUMER_LADDERS)
        assert len(set(names)) == len(names)


def test_tone_follows_the_segment():
    def tone(segment: Segment) -> str:
        return next(s.tone for s in BUSINESS_LADDERS[segment] if s.name == "reminder")

    assert (tone(Segment.ON_TIME), tone(Segment.OCCASIONALLY_LATE), tone(Segment.CHRONICALLY_LATE)) == (
        "friendly", "neutral", "firm")


def test_offline_debtor_gets_letters():
    ledger = Ledger({1: policy_for(Segment.ON_TIME, False, WINDOW)}, offline=frozenset({1}))
    ledger.add(Invoice(1, 1, ISSUED, DUE, Decimal("100")))
    batch = ledger.tick(mornings(date(2027, 3, 1), date(2027, 3, 1)).__next__())
    assert [(m.step.name, m.channel) for m in batch.messages] == [("courtesy", "letter")]
