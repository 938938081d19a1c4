"""A few numbers for status bars, kept in one small JSON file per account (`core.identity`).

Whatever fetches this month and the balance (the dashboard, `check`, `statusline`) writes it;
`statusline` reads it with the standard library alone, so a tmux status bar costs a Python
start and a file read, not an HTTP client.
"""

from __future__ import annotations

import json
import math
import os
from datetime import datetime

from venice_tui.api.clock import utc_now
from venice_tui.core.fs import cache_folder, read_small_file

MYPY = False
if MYPY:  # no runtime import of `typing` (a status bar counts the milliseconds)
    from pathlib import Path
    from typing import Any

SUMMARY_FOLDER = "status"
MAX_SUMMARY_BYTES = 16 * 1024


class StatusSummary:
    """A plain class on purpose: `dataclasses` costs a status bar 6 ms to import."""

    FIELDS = (
        "at",
        "today_usd",
        "today_diem",
        "month_usd",
        "budget_usd",
        "diem_left",
        "diem_allocation",
        "balance_usd",
        "forecast_usd",
        "rate_usd",
        "runway_days",
        "worst",
    )

    def __init__(
        self,
        at: str,
        today_usd: float,
        today_diem: float,
        month_usd: float,
        budget_usd: float | None = None,
        diem_left: float | None = None,
        diem_allocation: float | None = None,
        balance_usd: float | None = None,
        forecast_usd: float | None = None,
        rate_usd: float | None = None,
        runway_days: float | None = None,
        worst: float | None = None,
    ) -> None:
        self.at, self.today_usd, self.today_diem, self.month_usd = (
            at,
            float(today_usd),
            float(today_diem),
            float(month_usd),
        )
        self.budget_usd, self.diem_left = budget_usd, diem_left
        self.diem_allocation, self.balance_usd = diem_allocation, balance_usd
        #: The account's figures (`core.figures`): this month's forecast, the USD rate of the
        #: last 7 full days, and how many days the balance lasts at it.
        self.forecast_usd, self.rate_usd, self.runway_days = forecast_usd, rate_usd, runway_days
        #: The account's worst news as `core.fleet.Severity` (index into `WORST_WORDS`);
        #: None in a summary written before it was kept.
        self.worst = worst

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


def summary_path(digest: str) -> str:
    """The summary of the account whose files are named `digest`."""
    return os.path.join(cache_folder(), SUMMARY_FOLDER, f"{digest}.json")


REQUIRED = ("at", "today_usd", "today_diem", "month_usd")
#: What `StatusSummary.worst` means, worst first (`core.fleet.Severity` has the same order).
WORST_WORDS = (
    "failed",
    "over budget",
    "key at limit",
    "spike",
    "warning",
    "forecast",
    "no data",
    "ok",
)


def read_summary(path: str | Path) -> StatusSummary | None:
    """The summary, or None when there is none or it is not one (never raises): a file that is
    not an object of exactly our fields, with an ISO date-time with its offset in `at` and
    finite numbers (or null where a number may be missing), is treated as absent."""
    try:
        data: Any = json.loads(read_small_file(path, MAX_SUMMARY_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not set(REQUIRED) <= set(data) <= set(StatusSummary.FIELDS):
        return None
    at = data["at"]
    try:
        if not isinstance(at, str) or datetime.fromisoformat(at).tzinfo is None:
            return None
    except ValueError:
        return None
    for name in StatusSummary.FIELDS[1:]:
        value = data.get(name)
        if value is None and name not in REQUIRED:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value):
            return None
    return StatusSummary(**data)


def write_summary(path: str | Path, summary: StatusSummary) -> None:
    from pathlib import Path

    from venice_tui.core.paths import write_private_file

    write_private_file(Path(path), json.dumps(summary.as_dict()).encode())


def summarize(
    month: Any,
    balance: Any,
    budget_usd: float | None,
    figures: Any = None,
    now: datetime | None = None,
    worst: int | None = None,
) -> StatusSummary:
    """From this month so far (`UsageAnalytics`), the balance (`Balance` or None), the
    account's figures (`Figures` or None) and its worst news (`core.fleet.Severity`)."""
    from venice_tui.core.money import runway

    now = now or utc_now()
    days = month.daily
    today = days[-1] if days else None
    forecast = figures.forecast if figures is not None else None
    rate = figures.rate if figures is not None else None
    lasts = runway(balance, rate, now.date()) if balance is not None else None
    return StatusSummary(
        at=now.isoformat(),
        today_usd=today.usd if today else 0.0,
        today_diem=today.diem if today else 0.0,
        month_usd=math.fsum(d.usd for d in days),  # summed as `core.figures` sums it
        budget_usd=budget_usd,
        diem_left=balance.diem if balance is not None else None,
        diem_allocation=balance.diem_allocation if balance is not None else None,
        balance_usd=balance.usd if balance is not None else None,
        forecast_usd=forecast.usd.amount if forecast is not None else None,
        rate_usd=rate.usd.amount if rate is not None else None,
        runway_days=lasts.days if lasts is not None else None,
        worst=worst,
    )
