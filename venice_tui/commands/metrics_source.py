"""What `venice-tui metrics` serves: the account's numbers as of the last good fetch, and when
to fetch again. Scrapes drive it, but Venice is asked at most once per `min_interval`, however
often Prometheus (or a scrape storm) asks; between fetches and while Venice is down, the last
good values are served with their age."""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_now
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.api.text import one_line
from venice_tui.commands.account_json import fetch_account
from venice_tui.commands.report import Account, fetch_period, known_archive
from venice_tui.core.account_state import RECENT_DAYS, AccountState
from venice_tui.core.budgets import Budgets
from venice_tui.core.figures import Figures, basis_from_usage, derive

#: The account's slices a fetch brings beside the usage (names in `AccountState`).
SLICES = ("balance", "keys", "limits")

#: The shortest interval between two fetches: Venice caches usage for 10 minutes anyway.
MIN_INTERVAL = 60.0
DEFAULT_INTERVAL = 300.0


@dataclass(frozen=True)
class Gathered:
    """One fetch: usage covering this month so far (and the period, when one request can),
    the period's totals, and the account's slices."""

    usage: UsageAnalytics
    period_usd: float
    period_diem: float
    state: AccountState
    fetched_at: datetime
    #: Sources (`usage`, `balance`, `api_keys`) whose answer held an implausible value, with
    #: the line that says so: their series are left out and `venice_source_up` is 0.
    surprises: dict[str, str] = field(default_factory=dict)

    def totals_since(self, first: date) -> tuple[float, float]:
        return _sum_days(self.usage, first, self.fetched_at.date())

    @property
    def figures(self) -> Figures:
        """The account's figures: `usage` covers the 30 days before today and this month."""
        today = self.fetched_at.date()
        return derive(basis_from_usage(self.usage, today, self.fetched_at))


def _sum_days(usage: UsageAnalytics, first: date, last: date) -> tuple[float, float]:
    days = [day for day in usage.daily if first <= day.day <= last]
    return math.fsum(d.usd for d in days), math.fsum(d.diem for d in days)


@dataclass
class MetricsSource:
    account: Account
    period: Period
    budgets: Budgets = field(default_factory=Budgets)
    min_interval: float = DEFAULT_INTERVAL
    monotonic: Callable[[], float] = time.monotonic
    #: Told one line when a fetch fails (the server prints it to stderr).
    on_failure: Callable[[str], None] | None = None
    #: Told one line when an answer holds an implausible value (once, until it changes).
    on_surprise: Callable[[str], None] | None = None
    #: The last good fetch, and how the last attempt went.
    data: Gathered | None = None
    last_error: str | None = None
    fetches: int = 0
    #: Shared by the profiles of `metrics --all-profiles`: how many ask Venice at once.
    gate: threading.BoundedSemaphore | None = None
    _last_attempt: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _running: threading.Event = field(default_factory=threading.Event)
    _done: threading.Event = field(default_factory=threading.Event)

    def on_scrape(self, wait: float = 0.0) -> None:
        """A scrape came: fetch again if the last attempt is older than `min_interval` (in the
        background), and wait up to `wait` seconds for it when there is nothing to serve yet."""
        with self._lock:
            now = self.monotonic()
            due = self._last_attempt is None or now - self._last_attempt >= self.min_interval
            start = due and not self._running.is_set()
            if start:
                self._last_attempt = now
                self._running.set()
                self._done.clear()
        if start:
            threading.Thread(target=self._fetch, name="metrics-fetch", daemon=True).start()
        if self.data is None and wait > 0:
            self._done.wait(wait)

    def settle(self, timeout: float) -> bool:
        """Wait for a fetch under way to end; False when it is still running after `timeout`."""
        return self._done.wait(timeout) if self._running.is_set() else True

    def fetch_now(self) -> None:
        """One fetch in this thread (`--textfile`)."""
        with self._lock:
            self._last_attempt = self.monotonic()
            self._running.set()
            self._done.clear()
        self._fetch()

    def _fetch(self) -> None:
        try:
            with self.gate or contextlib.nullcontext(), self.account.sync_client() as client:
                state, gathered = fetch_account(client, None, lambda: self._usage(client))
            self.account.place_from(state.keys.value)  # a new key: its archive from now on
            assert gathered is not None
            usage, (usd, diem) = gathered
            kept = self._keep_last_good(state)
            found = surprises(usage, (usd, diem), kept)
            before = self.data.surprises if self.data is not None else {}
            self.data = Gathered(usage, usd, diem, kept, utc_now(), found)
            self.last_error = None
            for line in found.values():
                if line not in before.values() and self.on_surprise is not None:
                    self.on_surprise(line)
        except VeniceError as exc:
            self.last_error = str(exc)
        except Exception as exc:  # a thread's traceback would reach the person's terminal
            self.last_error = f"unexpected error ({type(exc).__name__})"
        finally:
            self.fetches += 1
            if self.last_error is not None and self.on_failure is not None:
                self.on_failure(self.last_error)
            self._running.clear()
            self._done.set()

    def _keep_last_good(self, state: AccountState) -> AccountState:
        """A slice that failed this time (the balance, say) keeps serving its last good value,
        with its own age; its error says it is not fresh."""
        before = self.data.state if self.data is not None else None
        if before is None:
            return state
        kept = {}
        for name in SLICES:
            new, old = getattr(state, name), getattr(before, name)
            if new.value is None and old.value is not None:
                kept[name] = replace(old, error=new.error, error_at=new.error_at)
        return replace(state, **kept)

    def _usage(self, client: VeniceSyncClient) -> tuple[UsageAnalytics, tuple[float, float]]:
        """One usage request covering the period, this month and the 30 days before today (the
        account's figures) when it fits in one (the usual case), else the period apart."""
        today = utc_now().date()
        first, last = self.period.first_and_last(today)
        since = min(today.replace(day=1), today - timedelta(days=RECENT_DAYS))
        span = Period.between(min(first, since), max(last, today))
        archive = known_archive(self.account, self.account.files_if_known())
        if not span.is_long:
            usage, _ = fetch_period(client, archive, span)
            return usage, _sum_days(usage, first, last)
        whole, _ = fetch_period(client, archive, self.period)
        month, _ = fetch_period(client, archive, Period.between(since, today))
        return month, (whole.totals.usd, whole.totals.diem)

    @property
    def age_seconds(self) -> float | None:
        if self.data is None:
            return None
        return max(0.0, (utc_now() - self.data.fetched_at).total_seconds())


def surprises(
    usage: UsageAnalytics, period: tuple[float, float], state: AccountState
) -> dict[str, str]:
    """Per source, the first value no account can have: a negative spend, balance, limit or
    use. Such a source's series are left out rather than exported as if they were true."""
    spend: list[tuple[str, float | None]] = [(f"USD spent on {d.day}", d.usd) for d in usage.daily]
    spend += [(f"DIEM spent on {d.day}", d.diem) for d in usage.daily]
    spend += [("USD spent in the period", period[0]), ("DIEM spent in the period", period[1])]
    for kind, series in (("model", usage.model_series), ("key", usage.key_series)):
        for name, values in (*series.combined.items(), *(series.usd or {}).items()):
            spend += [(f"daily spend of {kind} '{one_line(name, 60)}'", v) for v in values]
    checks: dict[str, list[tuple[str, float | None]]] = {"usage": spend}
    balance = state.balance.value
    if balance is not None:
        checks["balance"] = [
            ("USD balance", balance.usd),
            ("bundled credits balance", balance.bundled_credits),
            ("earned credits balance", balance.earned_credits),
            ("DIEM left", balance.diem),
            ("DIEM allocation", balance.diem_allocation),
        ]
    checks["api_keys"] = [
        (f"{what} of key '{one_line(key.description, 60)}'", value)
        for key in state.keys.value or ()
        for what, value in (
            ("USD limit", key.limit_usd),
            ("DIEM limit", key.limit_diem),
            ("USD used", key.used_usd),
            ("DIEM used", key.used_diem),
        )
    ]
    found = {}
    for source, named in checks.items():
        bad = next(((what, v) for what, v in named if v is not None and v < 0), None)
        if bad is not None:
            found[source] = (
                f"Venice sent a negative {bad[0]} ({bad[1]:,.2f}): the {source} series are "
                f'left out, venice_source_up{{source="{source}"}} is 0 until it sends '
                "plausible values"
            )
    return found
