"""Many accounts at a glance: which profiles, and one row (`Glance`) per account.

A `Glance` is made by one pure function from what one account's own dashboard and `check`
already hold (its `AccountState`, `Figures`, `Budgets` and `Finding`s), so the Accounts screen
and every `--all-profiles` command show the same numbers, rounded by the same rules. Worst
first: a failure, over a budget, a key at its Venice limit, a spike, a warning, a forecast past
a line, no data, quiet.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from venice_tui.api.errors import ConfigError
from venice_tui.api.text import one_line
from venice_tui.core.account_state import AccountState
from venice_tui.core.alerts import SPIKE_NEWS, Alert, alerts_from
from venice_tui.core.amounts import Diem, Usd
from venice_tui.core.budgets import Budgets, Finding, Standing, evaluate, month_standing
from venice_tui.core.figures import Figures, Forecast, Spike, figures_of
from venice_tui.core.fleet_names import DEMO_FLEET as DEMO_FLEET
from venice_tui.core.fleet_names import UnknownProfiles, selected
from venice_tui.core.format import describe_age, money, percent, usd
from venice_tui.core.money import Runway, runway
from venice_tui.core.status_summary import WORST_WORDS

#: Accounts asked at once by a command over several profiles: polite to Venice and the machine.
FLEET_CONCURRENCY = 4
#: Longest failure text a row shows.
FAILURE_CHARS = 160


class Severity(enum.IntEnum):
    """How bad an account's worst news is; lower is worse (rows sort worst first)."""

    FAILED = 0
    OVER_BUDGET = 1
    KEY_AT_LIMIT = 2
    SPIKE = 3
    WARNING = 4
    #: This month is only forecast past a line: news, not a breach (`check` exits 0 for it,
    #: as it weighs what was spent).
    FORECAST = 5
    NO_DATA = 6
    QUIET = 7

    @property
    def label(self) -> str:
        """`failed`, `over budget`, `key at limit`, `spike`, `warning`, `no data`, `ok`."""
        return WORST_WORDS[self]


assert len(WORST_WORDS) == len(Severity)


@dataclass(frozen=True, slots=True)
class Glance:
    """One account's row: the same figures its own dashboard shows (None: not known)."""

    profile: str
    #: The key behind a mask (`••••3fa9`); empty when the profile has none.
    key: str
    today_usd: Usd | None
    today_diem: Diem | None
    month_usd: Usd | None
    month_diem: Diem | None
    budget_usd: float | None
    forecast: Forecast | None
    #: This month against its budget, as the budget bar and `check` say it.
    standing: Standing
    balance_usd: float | None
    diem_left: float | None
    runway: Runway | None
    #: At or past a warning line, worst first (budgets and Venice key limits).
    findings: tuple[Finding, ...]
    #: The latest spike still news (`core.alerts.SPIKE_NEWS`), if any.
    spike: Spike | None
    severity: Severity
    #: The worst alert in words, one line; empty when all is quiet.
    alert: str
    #: When this month's numbers were read (the data's age is counted from it).
    as_of: datetime | None
    #: Why the last attempt failed, one line; None when it did not.
    failure: str | None

    @property
    def budget_share(self) -> float | None:
        """This month's USD as a share of its monthly budget (1.0 = all of it)."""
        if self.budget_usd is None or self.month_usd is None:
            return None
        return self.month_usd.amount / self.budget_usd

    @property
    def forecast_share(self) -> float | None:
        if self.budget_usd is None or self.forecast is None:
            return None
        return self.forecast.usd.amount / self.budget_usd

    @property
    def sort_key(self) -> tuple[int, float, str]:
        """Worst first; within a kind, the one furthest past its line first, then by name."""
        shares = [f.share for f in self.findings]
        shares += [s for s in (self.budget_share, self.forecast_share) if s is not None]
        return (int(self.severity), -max(shares, default=0.0), self.profile)

    def freshness(self, now: datetime) -> str:
        """How old the data is, or why it failed: one line."""
        age = (
            describe_age(max(0.0, (now - self.as_of).total_seconds()))
            if self.as_of is not None
            else None
        )
        if self.failure is not None:
            return f"{self.failure} (data from {age})" if age else self.failure
        return f"updated {age}" if age else "no data yet"

    def age_seconds(self, now: datetime) -> float | None:
        return None if self.as_of is None else max(0.0, (now - self.as_of).total_seconds())


def glance_of(
    profile: str,
    key: str,
    state: AccountState,
    figures: Figures,
    budgets: Budgets,
    findings: Iterable[Finding],
    failure: str | None = None,
) -> Glance:
    """One account's row from its own data, as its dashboard holds it: `figures` from
    `figures_of`/`UsageStore.figures`, `findings` from `BudgetWatch`/`evaluate`. Pure."""
    today = figures.today
    findings = tuple(findings)
    balance = state.balance.value
    today_row = figures.today_so_far
    budget = budgets.account.monthly_usd
    forecast = figures.forecast
    standing = (
        month_standing(
            figures.month_usd.amount,
            forecast.usd.amount if forecast is not None else None,
            budget,
            budgets,
        )
        if budget and figures.month_usd is not None
        else Standing(None, "")
    )
    spikes = [s for s in figures.spikes if today - s.day <= SPIKE_NEWS]
    alerts = alerts_from(findings, spikes[-1:], None, today)
    severity, alert = _worst(findings, alerts, standing, figures, budget, failure)
    return Glance(
        profile=profile,
        key=key,
        today_usd=Usd(today_row.usd) if today_row is not None else None,
        today_diem=Diem(today_row.diem) if today_row is not None else None,
        month_usd=figures.month_usd,
        month_diem=figures.month_diem,
        budget_usd=budget,
        forecast=forecast,
        standing=standing,
        balance_usd=balance.usd if balance is not None else None,
        diem_left=balance.diem if balance is not None else None,
        runway=runway(balance, figures.rate, today) if balance is not None else None,
        findings=findings,
        spike=spikes[-1] if spikes else None,
        severity=severity,
        alert=alert,
        as_of=state.month.fetched_at,
        failure=one_line(failure, FAILURE_CHARS) if failure is not None else None,
    )


def account_glance(
    profile: str,
    key: str,
    state: AccountState,
    budgets: Budgets,
    today: date,
    failure: str | None = None,
) -> Glance:
    """`glance_of` for a caller that holds only the state: the figures and findings made as
    the dashboard makes them (`figures_of`; `BudgetWatch.evaluate`)."""
    figures = figures_of(state, today)
    month = state.month.value
    if month is not None and month.period.first_and_last(today)[1] != today:
        month = None  # yesterday's month so far says nothing about today
    findings = evaluate(budgets, month, state.keys.value or (), today)
    return glance_of(profile, key, state, figures, budgets, findings, failure)


def _worst(
    findings: tuple[Finding, ...],
    alerts: list[Alert],
    standing: Standing,
    figures: Figures,
    budget: float | None,
    failure: str | None,
) -> tuple[Severity, str]:
    first_over_budget = next(
        (f for f in findings if f.level == "over" and not f.ident.startswith("limit:")), None
    )
    first_at_limit = next(
        (f for f in findings if f.level == "over" and f.ident.startswith("limit:")), None
    )
    spike = next((a for a in alerts if a.ident.startswith("spike:")), None)
    if failure is not None:
        return Severity.FAILED, one_line(failure, FAILURE_CHARS)
    if first_over_budget is not None:
        return Severity.OVER_BUDGET, first_over_budget.message
    if first_at_limit is not None:
        return Severity.KEY_AT_LIMIT, first_at_limit.message
    if spike is not None:
        return Severity.SPIKE, spike.message
    if findings:
        return Severity.WARNING, findings[0].message
    if standing.level is not None and figures.forecast is not None and budget:
        forecast = figures.forecast.usd
        return Severity.FORECAST, (
            f"This month is {standing.words}: {money(forecast)} forecast of {usd(budget)} "
            f"({percent(forecast.amount, budget)})"
        )
    if figures.month_usd is None:
        return Severity.NO_DATA, ""
    return Severity.QUIET, ""


def state_failure(state: AccountState) -> str | None:
    """Why this month's numbers are not fresh: the month slice's last error when it came after
    its last good value (the values shown are then the older ones); None otherwise."""
    month = state.month
    good, bad = month.fetched_at, month.error_at
    if month.error is None or (good is not None and bad is not None and bad < good):
        return None
    return month.error


def worst_first(glances: Iterable[Glance]) -> list[Glance]:
    return sorted(glances, key=lambda g: g.sort_key)


class UnknownProfileError(ConfigError):
    """`--profiles` named a profile there is no trace of: refused before any request."""


def pick_profiles(known: Sequence[str], selection: str | None) -> list[str]:
    """`known` (None selection: every one), or the ones `--profiles a,b` names, in its order.
    Raises UnknownProfileError with one line that lists the known ones."""
    try:
        return selected(list(known), selection)
    except UnknownProfiles as exc:
        raise UnknownProfileError(str(exc)) from None


def fleet_profiles(current: str) -> list[str]:
    """The profiles `--all-profiles` covers: each one with a stored key (the key file's and the
    keyring's, which config.toml lists); with none stored, the default profile and `current`
    (as `connection.known_profiles` has them)."""
    from venice_tui.core import key_file
    from venice_tui.core.config import load_config
    from venice_tui.core.credentials import DEFAULT_PROFILE

    config = load_config()
    stored = {*config.profiles, *key_file.read_keys()}
    return sorted(stored or {config.default_profile or DEFAULT_PROFILE, current})


def refuse_shared_key(env: Mapping[str, str]) -> None:
    """`VENICE_API_KEY` would stand in for every profile's own key: refused, so that no two
    accounts are ever read with one key."""
    from venice_tui.core.credentials import ENV_VAR

    if env.get(ENV_VAR, "").strip():
        raise ConfigError(
            f"{ENV_VAR} is set: it would be every profile's key; unset it to read each "
            "profile with its own stored key (or use --profile NAME for one)"
        )
