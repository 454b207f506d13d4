"""The 14-day term: NL counts from the day after receipt, BE from the day after an e-mail or the 3rd working day."""

from datetime import date

import pytest

from worker.domain.law.fourteen_day_letter import fourteen_day_term

NL_HOLIDAYS = frozenset({date(2025, 4, 21), date(2025, 4, 26), date(2025, 5, 5)})  # Easter Monday, King's Day
BE_HOLIDAYS = frozenset({date(2025, 4, 21), date(2025, 5, 1)})


@pytest.mark.parametrize(
    ("sent", "channel", "country", "first", "last"),
    [
        # NL e-mail sent Monday 3 March: received that day, day 1 is Tuesday 4, day 14 is Monday 17
        (date(2025, 3, 3), "email", "NL", date(2025, 3, 4), date(2025, 3, 17)),
        # NL e-mail sent Friday 7 March: day 14 would be Friday 21 March
        (date(2025, 3, 7), "email", "NL", date(2025, 3, 8), date(2025, 3, 21)),
        # NL e-mail sent Wed 5 March: day 14 is Wednesday 19 March
        (date(2025, 3, 5), "email", "NL", date(2025, 3, 6), date(2025, 3, 19)),
        # NL e-mail sent Saturday 1 March: day 14 is Saturday 15 -> Algemene termijnenwet: Monday 17
        (date(2025, 3, 1), "email", "NL", date(2025, 3, 2), date(2025, 3, 17)),
        # NL post sent Friday 7 March: delivery days Sat 8 and Tue 11 (none on Sun/Mon) -> received Tue 11
        (date(2025, 3, 7), "letter", "NL", date(2025, 3, 12), date(2025, 3, 25)),
        # NL post sent Thursday 17 April 2025: Fri 18, Sat 19 delivered; day 14 is Sat 3 May -> Tue 6 May
        # (Monday 5 May, Liberation Day, is listed as a holiday here)
        (date(2025, 4, 17), "letter", "NL", date(2025, 4, 20), date(2025, 5, 6)),
        # BE e-mail: the term starts the day after sending (art. XIX.2 CEL)
        (date(2025, 3, 7), "email", "BE", date(2025, 3, 8), date(2025, 3, 21)),
        # BE post sent Friday 7 March: 3rd working day after posting is Wednesday 12 March
        (date(2025, 3, 7), "letter", "BE", date(2025, 3, 12), date(2025, 3, 25)),
        # BE post sent Thursday 17 April: Fri 18, (Easter Monday 21 is a holiday) Tue 22, Wed 23
        (date(2025, 4, 17), "letter", "BE", date(2025, 4, 23), date(2025, 5, 6)),
    ],
)
def test_term(sent, channel, country, first, last):
    """NL: art. 6:96 lid 6 BW, HR 13 juli 2018 (ECLI:NL:HR:2018:1199): 14 days starting the day after receipt.
    BE: art. XIX.2 CEL as summarised by Dal & De Wolf and Lex4u (2023)."""
    holidays = NL_HOLIDAYS if country == "NL" else BE_HOLIDAYS
    term = fourteen_day_term(sent, channel, country, holidays)
    assert (term.first_day, term.last_day) == (first, last)
    assert term.costs_from > term.last_day


def test_unknown_country():
    with pytest.raises(ValueError, match="no 14-day letter rules"):
        fourteen_day_term(date(2025, 1, 1), "email", "DE")
