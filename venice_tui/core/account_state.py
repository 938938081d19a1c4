"""The store's slices beside usage: balance, API keys and the calling key's limits.

Each slice has its own value, age, source and last error, so one failing never blanks another
(usage can be live while the balance is "unavailable since 12:03 UTC").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Generic, Protocol, TypeVar, runtime_checkable

from venice_tui.api.account import ApiKeyInfo, Balance, RateLimits
from venice_tui.api.errors import AuthError, PaymentRequiredError, VeniceError
from venice_tui.api.models import DailyTotal, Totals, UsageAnalytics
from venice_tui.api.period import Clock, Period
from venice_tui.core.data_source import Source

T = TypeVar("T")
ADMIN_NEEDED = "needs an ADMIN key"
#: The full days before today every derived figure may need (`core.figures`).
RECENT_DAYS = 30


#: Where a long fetch says how far it is (`fetching month 3 of 12…`); None when it is done.
Progress = Callable[[str | None], None]


def no_progress(text: str | None) -> None:
    """For a caller that shows no progress."""


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """What a period cost in all (the period before the one shown, for period over period)."""

    period: Period
    totals: Totals
    #: With the period shown still running: what the period before spent on its last day after
    #: the hour it is now (`cut`), from the ledger; None when the ledger does not cover it.
    tail: Totals | None = None
    #: Not part of what the totals are: the same totals cut an hour later are the same to show.
    cut: datetime | None = field(default=None, compare=False)


@runtime_checkable
class SliceFetcher(Protocol):
    """How the store asks for each slice (`core.fetching.AccountFetcher` asks Venice). A slice
    method that answers None has nothing for that slice: it stays as it is, unasked."""

    async def usage(self, period: Period, progress: Progress) -> UsageAnalytics: ...

    async def month(self) -> UsageAnalytics | None:
        """This calendar month so far: the forecast and the budgets are about it."""

    async def recent(self) -> UsageAnalytics | None:
        """The 30 full days before today (`recent_period`): the rate and spikes, whatever the
        period shown."""

    async def previous(self, period: Period, progress: Progress) -> PeriodTotals | None:
        """The totals of the period before `period`; while `period` still runs, cut at the
        hour it is now (`PeriodTotals.tail`)."""

    async def balance(self) -> Balance | None: ...

    async def api_keys(self) -> tuple[ApiKeyInfo, ...] | None: ...

    async def rate_limits(self) -> RateLimits | None: ...


class UsageOnly:
    """A `SliceFetcher` from one function that fetches a period's usage; the other slices stay
    empty."""

    def __init__(self, fetch: Callable[[Period], Awaitable[UsageAnalytics]]) -> None:
        self.fetch = fetch

    async def usage(self, period: Period, progress: Progress) -> UsageAnalytics:
        return await self.fetch(period)

    async def month(self) -> None:
        return None

    async def recent(self) -> None:
        return None

    async def previous(self, period: Period, progress: Progress) -> None:
        return None

    async def balance(self) -> None:
        return None

    async def api_keys(self) -> None:
        return None

    async def rate_limits(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Slice(Generic[T]):
    value: T | None = None
    #: When Venice last gave it; not part of equality, so a refresh that brings the same value
    #: is no change to show (a screen redraws for a new value or error, not a later time).
    fetched_at: datetime | None = field(default=None, compare=False)
    source: Source | None = None
    #: The last failure (in the dashboard's words), kept beside the last good value.
    error: str | None = None
    error_at: datetime | None = None
    #: This key can never get it (an INFERENCE key asking for billing): not worth retrying.
    admin_needed: bool = False

    def failed(self, exc: VeniceError, now: datetime) -> Slice[T]:
        refused = isinstance(exc, AuthError | PaymentRequiredError)
        error = ADMIN_NEEDED if refused else exc.in_dashboard
        # The same failure again keeps its first moment: "unavailable since" that time, and no
        # change to show.
        since = self.error_at if error == self.error and self.error_at is not None else now
        return replace(self, error=error, error_at=since, admin_needed=refused)


@dataclass(frozen=True, slots=True)
class AccountState:
    month: Slice[UsageAnalytics] = field(default_factory=Slice)
    balance: Slice[Balance] = field(default_factory=Slice)
    keys: Slice[tuple[ApiKeyInfo, ...]] = field(default_factory=Slice)
    limits: Slice[RateLimits] = field(default_factory=Slice)
    previous: Slice[PeriodTotals] = field(default_factory=Slice)
    recent: Slice[UsageAnalytics] = field(default_factory=Slice)

    def month_days(self, today: date) -> tuple[DailyTotal, ...] | None:
        """This month's days so far, when the month slice is today's (None otherwise)."""
        month = self.month.value
        if month is None or month.period != month_to_date(today):
            return None
        return month.daily

    @property
    def inference_key(self) -> bool:
        """The key works (its own limits answer) but billing refuses it: an INFERENCE key."""
        return (
            self.limits.value is not None
            and self.limits.error is None
            and (self.balance.admin_needed or self.keys.admin_needed)
        )


async def pull(
    fetch: Callable[[], Awaitable[T | None]] | None, current: Slice[T], clock: Clock, source: Source
) -> Slice[T]:
    """One slice fetched; a failure keeps the last good value with the error beside it, and
    nothing to fetch (None) keeps the slice as it is."""
    if fetch is None:
        return current
    try:
        value = await fetch()
    except VeniceError as exc:
        return current.failed(exc, clock())
    return current if value is None else Slice(value, clock(), source)


async def pull_all(
    fetcher: SliceFetcher,
    state: AccountState,
    clock: Clock,
    source: Source,
    period: Period | None = None,
    progress: Progress = no_progress,
) -> AccountState:
    import asyncio  # here, not at the top: one-shot commands use these types, not asyncio

    month, balance, keys, limits, previous, recent = await asyncio.gather(
        pull(fetcher.month, state.month, clock, source),
        pull(fetcher.balance, state.balance, clock, source),
        pull(fetcher.api_keys, state.keys, clock, source),
        pull(fetcher.rate_limits, state.limits, clock, source),
        pull(_previous(fetcher, state, period, clock, progress), state.previous, clock, source),
        pull(_recent(fetcher, state, clock), state.recent, clock, source),
    )
    return AccountState(month, balance, keys, limits, previous, recent)


def _recent(
    fetcher: SliceFetcher, state: AccountState, clock: Clock
) -> Callable[[], Awaitable[UsageAnalytics | None]] | None:
    """Asked once a UTC day: days that are over no longer move."""
    known = state.recent.value
    if known is not None and known.period == recent_period(clock().date()):
        return None
    return fetcher.recent


def _previous(
    fetcher: SliceFetcher,
    state: AccountState,
    period: Period | None,
    clock: Clock,
    progress: Progress,
) -> Callable[[], Awaitable[PeriodTotals | None]] | None:
    """Asked once per period shown (the period before it is over and does not move), and
    with every refresh while the period shown is still running: the hour it is cut at moves
    (the fetcher keeps what it asked Venice, so that costs no request)."""
    if period is None:
        return None
    today = clock().date()
    before = period.previous(today)
    known = state.previous.value
    if (
        known is not None
        and known.period == before
        and state.previous.error is None
        and period.ended_before(today)
    ):
        return None
    return lambda: fetcher.previous(period, progress)


def month_to_date(today: date) -> Period:
    """The days of this calendar month up to today (UTC)."""
    return Period.between(today.replace(day=1), today)


def recent_period(today: date) -> Period:
    """The `RECENT_DAYS` full UTC days before today."""
    return Period.between(today - timedelta(days=RECENT_DAYS), today - timedelta(days=1))
