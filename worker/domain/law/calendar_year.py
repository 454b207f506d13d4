"""Anniversaries of a date, with 29 February falling back to 28 February in common years."""

from datetime import date


def anniversary(start: date, years: int) -> date:
    """The date `years` years after `start`."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return start.replace(year=start.year + years, day=28)
