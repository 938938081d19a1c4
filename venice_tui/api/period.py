"""The period a usage query covers: a lookback of N days or an inclusive UTC date range."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from venice_tui.api import clock

#: Days Venice answers in one request; a longer period is fetched in chunks and stitched.
MAX_DAYS = 90
#: The longest period the tool offers: three years (36 monthly requests the first time).
MAX_PERIOD_DAYS = 1096
DEFAULT_LOOKBACK_DAYS = 7
#: The lookbacks the dashboard offers; a shorter period after a 504 is picked among them.
PRESET_DAYS = (1, 7, 30, 90)
_LOOKBACK_RE = re.compile(r"\s*(\d+)\s*[dD]?\s*")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """A period a person asked for that the API cannot serve; the message says why and what is allowed."""


#: The wall clock, injectable so tests and screenshots can fix the time. Always UTC.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return clock.utc_now()


def utc_today() -> date:
    return utc_now().date()


#: Unix timestamps above this are milliseconds (year 5138 in seconds), below it seconds.
MILLISECONDS_FROM = 100_000_000_000


def seconds_since_epoch(stamp: float) -> float:
    """A Unix timestamp in seconds, whether it came in seconds or milliseconds."""
    return stamp / 1000 if abs(stamp) >= MILLISECONDS_FROM else stamp


@dataclass(frozen=True, slots=True)
class Period:
    """Either `lookback_days` (relative to today, UTC) or `start`..`end` (inclusive UTC days)."""

    lookback_days: int | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.lookback_days is not None:
            if self.start is not None or self.end is not None:
                raise PeriodError("use either a lookback or --start/--end, not both")
            if not 1 <= self.lookback_days <= MAX_PERIOD_DAYS:
                raise PeriodError(
                    f"lookback must be between 1d and {MAX_PERIOD_DAYS}d, got {self.lookback_days}d"
                )
            return
        if self.start is None or self.end is None:
            raise PeriodError("a date range needs both --start and --end (YYYY-MM-DD, UTC)")
        if self.start > self.end:
            raise PeriodError(
                f"the start {self.start.isoformat()} is after the end {self.end.isoformat()}"
            )
        days = (self.end - self.start).days + 1
        if days > MAX_PERIOD_DAYS:
            raise PeriodError(
                f"the range {self.start.isoformat()} → {self.end.isoformat()} spans {days} days; "
                f"at most {MAX_PERIOD_DAYS} (three years) are allowed"
            )

    @classmethod
    def lookback(cls, days: int) -> Period:
        return cls(lookback_days=days)

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start=start, end=end)

    @classmethod
    def ending(cls, end: date, days: int) -> Period:
        """The `days` UTC days up to and including `end`."""
        return cls(start=end - timedelta(days=days - 1), end=end)

    @classmethod
    def default(cls) -> Period:
        return cls(lookback_days=DEFAULT_LOOKBACK_DAYS)

    @classmethod
    def parse_lookback(cls, text: str) -> Period:
        """Accept `30d`, `30D` or `30`; refuse anything else with the allowed form."""
        match = _LOOKBACK_RE.fullmatch(text)
        if match is None:
            raise PeriodError(
                f"invalid lookback {text!r}: use a number of days from 1d to {MAX_PERIOD_DAYS}d, "
                "e.g. 30d"
            )
        return cls.lookback(int(match.group(1)))

    @classmethod
    def parse_range(
        cls,
        start: str | None,
        end: str | None,
        today: date | None = None,
        names: tuple[str, str] = ("--start", "--end"),
    ) -> Period:
        """A range from two typed dates; `names` are what the place calls the two fields, and
        an end after `today` (when given) is refused: those days have no usage yet."""
        start_name, end_name = names
        if not start or not end:
            missing = end_name if start else start_name
            raise PeriodError(
                f"{missing} is missing: a date range needs both {start_name} and {end_name} "
                "(YYYY-MM-DD, UTC)"
            )
        first, last = parse_day(start, start_name), parse_day(end, end_name)
        if today is not None and last > today:
            raise PeriodError(
                f"{end_name} {last.isoformat()} is in the future: today is "
                f"{today.isoformat()} (UTC)"
            )
        return cls.between(first, last)

    @classmethod
    def from_options(
        cls, lookback: str | None, start: str | None, end: str | None, today: date | None = None
    ) -> Period:
        """Build from command-line style options; no option at all means the default 7 days."""
        if lookback is not None and (start is not None or end is not None):
            raise PeriodError("use either --lookback or --start/--end, not both")
        if lookback is not None:
            return cls.parse_lookback(lookback)
        if start is not None or end is not None:
            return cls.parse_range(start, end, today)
        return cls.default()

    @property
    def is_lookback(self) -> bool:
        return self.lookback_days is not None

    def first_and_last(self, today: date) -> tuple[date, date]:
        if self.lookback_days is not None:
            return today - timedelta(days=self.lookback_days - 1), today
        assert self.start is not None and self.end is not None
        return self.start, self.end

    def ended_before(self, today: date) -> bool:
        """A range over before today: its numbers no longer move (and it has no forecast)."""
        return not self.is_lookback and self.first_and_last(today)[1] < today

    def days(self, today: date) -> list[date]:
        first, last = self.first_and_last(today)
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    @property
    def day_count(self) -> int:
        if self.lookback_days is not None:
            return self.lookback_days
        assert self.start is not None and self.end is not None
        return (self.end - self.start).days + 1

    @property
    def is_long(self) -> bool:
        """Longer than one request may ask: fetched in monthly chunks (`chunks`)."""
        return self.day_count > MAX_DAYS

    def chunks(self, today: date) -> list[Period]:
        """The period cut at month ends: consecutive ranges of at most 31 days, so that any
        two long periods share their whole months (and the archive serves them)."""
        first, last = self.first_and_last(today)
        out = []
        while first <= last:
            next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
            end = min(last, next_month - timedelta(days=1))
            out.append(Period.between(first, end))
            first = end + timedelta(days=1)
        return out

    def previous(self, today: date) -> Period:
        """The period of the same length just before this one (period over period)."""
        first, _ = self.first_and_last(today)
        return Period.ending(first - timedelta(days=1), self.day_count)

    def query_params(self) -> dict[str, str]:
        if self.is_long:
            raise ValueError(f"{self.label} is longer than {MAX_DAYS} days: fetch its chunks")
        if self.lookback_days is not None:
            return {"lookback": f"{self.lookback_days}d"}
        assert self.start is not None and self.end is not None
        return {"startDate": self.start.isoformat(), "endDate": self.end.isoformat()}

    @property
    def label(self) -> str:
        """`30d` or `2026-10-01 → 2026-10-31`."""
        if self.lookback_days is not None:
            return f"{self.lookback_days}d"
        assert self.start is not None and self.end is not None
        return f"{self.start.isoformat()} → {self.end.isoformat()}"

    @property
    def slug(self) -> str:
        """A filename-safe name, e.g. `30d` or `2026-10-01_2026-10-31`."""
        if self.lookback_days is not None:
            return f"{self.lookback_days}d"
        assert self.start is not None and self.end is not None
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def parse_day(text: str, option: str) -> date:
    if not _DATE_RE.fullmatch(text.strip()):
        raise PeriodError(f"{option} {text!r} is not a date: use YYYY-MM-DD (UTC), e.g. 2026-10-01")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            f"{option} {text!r} is not a real calendar date: use YYYY-MM-DD (UTC)"
        ) from None
