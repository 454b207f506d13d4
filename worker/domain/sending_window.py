"""The hours and days on which a business lets the service send mail to its customers."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as a business names its sending days (Monday = 0)


@dataclass(frozen=True)
class SendingWindow:
    """Weekdays between `opens` and `closes` in the business's time zone, minus given holidays."""

    timezone: str = "Europe/Amsterdam"
    opens: time = time(8, 0)
    closes: time = time(18, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0, 0), self.zone)

    def _is_sending_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        return self._is_sending_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The first moment at or after `now` when sending is allowed."""
        if self.is_open(now):
            return now
        local = now.astimezone(self.zone)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        for _ in range(366):
            if self._is_sending_day(day):
                return datetime.combine(day, self.opens, self.zone)
            day += timedelta(days=1)
        raise ValueError("the sending window never opens")
