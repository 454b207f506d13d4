"""The thank-you after an on-time payment: once, only when on time, only when the business wants it."""

from datetime import date

import pytest

from worker.domain.thanks import THANK_YOU, thank_you_due

DUE = date(2027, 5, 14)


@pytest.mark.parametrize(
    ("paid_on", "thanked", "enabled", "expected"),
    [
        (date(2027, 5, 10), False, True, True),
        (date(2027, 5, 17), False, True, True),  # booked within the 3-day tolerance
        (date(2027, 5, 18), False, True, False),  # late: no thanks
        (date(2027, 5, 10), True, True, False),  # once
        (date(2027, 5, 10), False, False, False),  # the business turned it off
    ],
)
def test_thank_you(paid_on, thanked, enabled, expected):
    assert thank_you_due(DUE, paid_on, thanked, enabled) is expected
    assert THANK_YOU.template == "thank_you"
