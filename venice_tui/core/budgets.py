"""Budgets from config.toml, and how the month so far and today stand against them.

```toml
[budget.default]                 # one table per profile
monthly_usd = 500
daily_usd = 30
keys = { "3f9c2a71-…" = { monthly_usd = 100 } }   # by API key id
models = { "GLM 5.1" = { daily_usd = 10 } }

[alerts]
warn_at = 80                     # percent of a budget: a warning
alert_at = 100                   # percent: over budget
```

Venice's own per-key limits (from `/api_keys`) count as budgets too. Everything here is pure:
the same month, keys and clock always give the same findings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.models import DailySeries, UsageAnalytics
from venice_tui.api.period import utc_now
from venice_tui.core.format import USD_AND_DIEM, diem, percent, usd
from venice_tui.core.key_names import KeyNames, key_names

Level = Literal["warning", "over"]
BUDGET_FIELDS = ("monthly_usd", "daily_usd")
MAX_BUDGET = 1e9


@dataclass(frozen=True, slots=True)
class Limits:
    monthly_usd: float | None = None
    daily_usd: float | None = None


@dataclass(frozen=True, slots=True)
class Budgets:
    account: Limits = field(default_factory=Limits)
    keys: Mapping[str, Limits] = field(default_factory=dict)
    models: Mapping[str, Limits] = field(default_factory=dict)
    #: Shares of a budget: a warning from `warn_at`, over from `alert_at` (1.0 = 100%).
    warn_at: float = 0.8
    alert_at: float = 1.0

    @property
    def any(self) -> bool:
        return bool(self.account.monthly_usd or self.account.daily_usd or self.keys or self.models)


@dataclass(frozen=True, slots=True)
class Finding:
    """One budget or limit at or past its warning threshold."""

    #: Stable across runs and days of one period: `account:month:2026-11`, `key:<id>:day:…`.
    ident: str
    level: Level
    subject: str
    spent: float
    budget: float
    unit: str
    #: `this month`, `today`, or Venice's limit period in words.
    window: str

    @property
    def share(self) -> float:
        return self.spent / self.budget if self.budget else 1.0

    @property
    def message(self) -> str:
        if self.unit == "USD":
            amount = f"{usd(self.spent)} of {usd(self.budget)}"
        elif self.unit == USD_AND_DIEM:  # Venice sent no USD part: the sum, said as such
            amount = f"{diem(self.spent)} {USD_AND_DIEM} of {usd(self.budget)}"
        else:
            amount = f"{diem(self.spent)} of {diem(self.budget)} {self.unit}"
        state = state_words(self.level, venice_limit=self.ident.startswith("limit:"))
        return f"{self.subject} is {state}: {amount} {self.window} ({percent(self.spent, self.budget)})"


def state_words(level: Level, venice_limit: bool = False) -> str:
    """The one wording of where something stands against its line."""
    if venice_limit:
        return "at its Venice limit" if level == "over" else "near its Venice limit"
    return "over budget" if level == "over" else "near budget"


@dataclass(frozen=True, slots=True)
class Standing:
    """This month against the monthly budget, as the budget bar, the forecast tile and `check`
    all say it: what was spent is over from `alert_at` and near from `warn_at`; a forecast
    past either line is a warning (it has not happened yet)."""

    level: Level | None
    #: `over budget`, `near budget`, `forecast over budget`, `forecast near budget`, or empty.
    words: str


def month_standing(
    spent: float, forecast: float | None, budget: float, budgets: Budgets
) -> Standing:
    if budget <= 0:
        return Standing(None, "")
    level = _level(spent / budget, budgets)
    if level is not None:
        return Standing(level, state_words(level))
    ahead = _level(forecast / budget, budgets) if forecast is not None else None
    if ahead is not None:
        return Standing("warning", f"forecast {state_words(ahead)}")
    return Standing(None, "")


def parse_budgets(data: Mapping[str, Any], profile: str, where: str) -> tuple[Budgets, list[str]]:
    """The budgets of `profile` from config.toml's `[budget.<profile>]` and `[alerts]`, and one
    line per problem (naming the file, the key and what is allowed); bad values are skipped."""
    problems: list[str] = []
    table = data.get("budget", {})
    mine = table.get(profile, {}) if isinstance(table, Mapping) else {}
    if not isinstance(mine, Mapping):
        problems.append(f"{where}: budget.{profile} must be a table")
        mine = {}
    prefix = f"budget.{profile}"
    account = _limits(mine, prefix, problems)
    keys = _named(mine.get("keys", {}), f"{prefix}.keys", problems)
    models = _named(mine.get("models", {}), f"{prefix}.models", problems)
    alerts = data.get("alerts", {})
    warn = _percent(alerts, "warn_at", 80, problems) if isinstance(alerts, Mapping) else 80
    alert = _percent(alerts, "alert_at", 100, problems) if isinstance(alerts, Mapping) else 100
    if warn >= alert:
        problems.append(
            f"alerts.warn_at ({warn:g}) must be below alerts.alert_at ({alert:g}); using 80 and 100"
        )
        warn, alert = 80, 100
    budgets = Budgets(account, keys, models, warn / 100, alert / 100)
    return budgets, [f"{where}: {p}" if not p.startswith(where) else p for p in problems]


def _limits(table: Mapping[str, Any], prefix: str, problems: list[str]) -> Limits:
    values: dict[str, float] = {}
    for name in BUDGET_FIELDS:
        value = table.get(name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0 < value <= MAX_BUDGET)
        ):
            problems.append(
                f"{prefix}.{name} = {value!r} is not a budget: use a number of USD above 0"
            )
            continue
        values[name] = float(value)
    for name in table:
        if name not in (*BUDGET_FIELDS, "keys", "models"):
            problems.append(
                f"{prefix}.{name} is not known: use monthly_usd, daily_usd, keys or models"
            )
    return Limits(values.get("monthly_usd"), values.get("daily_usd"))


def _named(table: Any, prefix: str, problems: list[str]) -> dict[str, Limits]:
    if not isinstance(table, Mapping):
        problems.append(f"{prefix} must be a table of names to budgets")
        return {}
    out = {}
    for name, value in table.items():
        if not isinstance(value, Mapping):
            problems.append(f'{prefix}."{name}" must be a table, e.g. {{ monthly_usd = 100 }}')
            continue
        limits = _limits(value, f'{prefix}."{name}"', problems)
        if limits.monthly_usd or limits.daily_usd:
            out[str(name)] = limits
    return out


def _percent(table: Mapping[str, Any], name: str, default: float, problems: list[str]) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 1000:
        problems.append(f"alerts.{name} = {value!r} is not a percentage: use 1 to 1000")
        return default
    return float(value)


def _level(share: float, budgets: Budgets) -> Level | None:
    if share >= budgets.alert_at:
        return "over"
    if share >= budgets.warn_at:
        return "warning"
    return None


def _series_today(series: DailySeries, name: str, today: date) -> tuple[float | None, str]:
    """A key's or model's USD today from the month's daily series (None when not in them), and
    its unit: without Venice's `*DailyUsd` arrays only USD + DIEM is known, and it says so."""
    if name not in series.names or today not in series.days:
        return None, "USD"
    slot = series.days.index(today)
    if series.usd is not None:
        return series.usd[name][slot], "USD"
    return series.combined[name][slot], USD_AND_DIEM


def evaluate(
    budgets: Budgets,
    month: UsageAnalytics | None,
    keys: Iterable[ApiKeyInfo] = (),
    today: date | None = None,
) -> list[Finding]:
    """Every budget and Venice key limit at or past the warning threshold, worst first.
    `month` is this month so far (`today` is its last day)."""
    findings: list[Finding] = []
    keys = tuple(keys)
    names = key_names(month.keys if month is not None else (), keys)
    if month is not None and month.daily:
        day = today or month.daily[-1].day
        findings += _account(budgets, month, day)
        findings += _keys(budgets, month, day, names, keys)
        findings += _models(budgets, month, day)
    findings += _venice_limits(keys, budgets, today or utc_now().date(), names)
    return sorted(findings, key=lambda f: (f.level != "over", -f.share))


def _check(
    findings: list[Finding],
    budgets: Budgets,
    ident: str,
    subject: str,
    spent: float | None,
    budget: float | None,
    window: str,
    unit: str = "USD",
) -> None:
    if spent is None or not budget:
        return
    level = _level(spent / budget, budgets)
    if level is not None:
        findings.append(Finding(ident, level, subject, spent, budget, unit, window))


def _account(budgets: Budgets, month: UsageAnalytics, day: date) -> list[Finding]:
    out: list[Finding] = []
    spent = math.fsum(r.usd for r in month.daily)  # as `core.figures` sums the month
    today = next((r.usd for r in month.daily if r.day == day), 0.0)
    ym, d = f"{day:%Y-%m}", day.isoformat()
    _check(
        out,
        budgets,
        f"account:month:{ym}",
        "The account",
        spent,
        budgets.account.monthly_usd,
        "this month",
    )
    _check(
        out, budgets, f"account:day:{d}", "The account", today, budgets.account.daily_usd, "today"
    )
    return out


def _keys(
    budgets: Budgets,
    month: UsageAnalytics,
    day: date,
    names: KeyNames,
    infos: tuple[ApiKeyInfo, ...],
) -> list[Finding]:
    out: list[Finding] = []
    by_id = {k.key_id: k for k in month.keys if k.key_id}
    listed = {k.key_id: k for k in infos}
    for key_id, limits in budgets.keys.items():
        usage = by_id.get(key_id)
        info = listed.get(key_id)
        described = usage.description if usage else info.description if info else None
        name = names.name(key_id, described) if described else f"Key ...{key_id[-6:]}"
        spent = usage.usd if usage else 0.0
        _check(
            out,
            budgets,
            f"key:{key_id}:month:{day:%Y-%m}",
            name,
            spent,
            limits.monthly_usd,
            "this month",
        )
        today, unit = (
            _series_today(month.key_series, usage.description, day) if usage else (None, "USD")
        )
        ident = f"key:{key_id}:day:{day}"
        _check(out, budgets, ident, name, today, limits.daily_usd, "today", unit)
    return out


def _models(budgets: Budgets, month: UsageAnalytics, day: date) -> list[Finding]:
    out: list[Finding] = []
    by_name = {m.name: m for m in month.models}
    for name, limits in budgets.models.items():
        usage = by_name.get(name)
        spent = usage.usd if usage else 0.0
        _check(
            out,
            budgets,
            f"model:{name}:month:{day:%Y-%m}",
            name,
            spent,
            limits.monthly_usd,
            "this month",
        )
        today, unit = _series_today(month.model_series, name, day)
        ident = f"model:{name}:day:{day}"
        _check(out, budgets, ident, name, today, limits.daily_usd, "today", unit)
    return out


VENICE_WINDOWS = {"EPOCH": "today", "MONTH": "this month", "LIFETIME": "in its lifetime"}


def _venice_limits(
    keys: Iterable[ApiKeyInfo], budgets: Budgets, day: date, names: KeyNames
) -> list[Finding]:
    """Venice's per-key limits are budgets too: near one is a warning, at one is over."""
    out = []
    for key in keys:
        use = key.limit_use
        level = _level(use, budgets) if use is not None else None
        if level is None:
            continue
        usd = key.limit_usd is not None
        spent = (key.used_usd if usd else key.used_diem) or 0.0
        limit = (key.limit_usd if usd else key.limit_diem) or 0.0
        window = {"EPOCH": day.isoformat(), "MONTH": f"{day:%Y-%m}"}.get(key.limit_period, "ever")
        out.append(
            Finding(
                f"limit:{key.key_id}:{key.limit_period}:{window}",
                level,
                names.name(key.key_id, key.description),
                spent,
                limit,
                "USD" if usd else "DIEM",
                VENICE_WINDOWS.get(key.limit_period, key.limit_period.lower()),
            )
        )
    return out


def budgets_from(
    data: Mapping[str, Any], profile: str, where: str, fallback: Budgets | None = None
) -> tuple[Budgets, list[str]]:
    """`parse_budgets`, with `fallback` (the demo's budgets) while config.toml has no
    `[budget.<profile>]` table at all; an emptied table means no budgets."""
    budgets, problems = parse_budgets(data, profile, where)
    tables = data.get("budget")
    if fallback is not None and not (isinstance(tables, Mapping) and profile in tables):
        budgets = replace(fallback, warn_at=budgets.warn_at, alert_at=budgets.alert_at)
    return budgets, problems


#: The profile the demo's numbers are under (`--demo`).
DEMO_PROFILE = "demo"
#: Budgets of the demo account (unless config.toml has `[budget.demo]`): the month is on
#: course to pass 80% of its budget, so the bar and the forecast show a warning.
DEMO_BUDGETS = Budgets(account=Limits(monthly_usd=400.0, daily_usd=15.0))


def account_budgets(
    profile: str, data: Mapping[str, Any] | None = None, fallback: Budgets | None = None
) -> tuple[Budgets, list[str]]:
    """The one place that decides which budgets apply: `[budget.<profile>]` of config.toml
    (`data`: its parsed content, read here when None), else the account's own defaults
    (`fallback`; the demo's are `DEMO_BUDGETS`); and what was wrong with them, one line each.
    Every command, the dashboard and metrics ask here, through their Account."""
    from venice_tui.core.config import config_path, load_config
    from venice_tui.core.paths import display_path

    if data is None:
        data = load_config().data
    if fallback is None and profile == DEMO_PROFILE:
        fallback = DEMO_BUDGETS
    return budgets_from(data, profile, display_path(config_path()), fallback)


def level_of(findings: Iterable[Finding], prefix: str) -> Level | None:
    """The worst level among findings whose ident starts with `prefix` (`key:<id>:`)."""
    levels = {f.level for f in findings if f.ident.startswith(prefix)}
    return "over" if "over" in levels else "warning" if levels else None
