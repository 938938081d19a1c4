"""`venice-tui statusline`: one short line for tmux, starship or an editor, fast and never stuck.

From the summary on disk when it is younger than `--max-age` (default 600 s, Venice's own cache
time), with the standard library alone; otherwise fetched within a hard `--timeout` (default
3 s), and if that fails, the last value marked stale. It never prints a traceback and never
hangs a status bar. Parsed by hand: `argparse` alone costs as much as the rest.

Fields for `--format`: {today} {today_diem} {month} {budget} {budget_pct} {budget_part}
{diem_left} {diem_total} {balance} {forecast} {rate} {runway} {age} {stale}; any other is
refused (exit 2). {forecast}, {rate} and {runway} are the account's figures (`core.figures`):
this month's forecast, the USD per day of the last 7 full days, and the days the balance lasts
at it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime

from venice_tui.api.clock import utc_now
from venice_tui.core.fs import current_account_digest
from venice_tui.core.numbers import diem, percent, usd
from venice_tui.core.status_summary import (
    WORST_WORDS,
    StatusSummary,
    read_summary,
    summary_path,
)

MYPY = False
if MYPY:  # no runtime import of `typing`
    from venice_tui.api.secret import ApiKey
    from venice_tui.core.account_state import AccountState
    from venice_tui.core.config import Config

USAGE = (
    "usage: venice-tui statusline [--format TEMPLATE] [--max-age SECONDS] [--timeout SECONDS] "
    "[--profile NAME] [--base-url URL] [--demo]"
)
DEFAULT_FORMAT = "{today} today · {month}{budget_part} · DIEM {diem_left}/{diem_total}{stale}"
OPTIONS = ("--format", "--max-age", "--timeout", "--profile", "--base-url", "--profiles")


FIELDS = (
    "today",
    "today_diem",
    "month",
    "budget",
    "budget_pct",
    "budget_part",
    "diem_left",
    "diem_total",
    "balance",
    "forecast",
    "rate",
    "runway",
    "age",
    "stale",
    "profile",
    "worst",
    "worst_part",
)
_ERROR = "venice-tui statusline: error: "


class _Usage(Exception):
    pass


class _Help(Exception):
    pass


def _parse(argv: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--demo":
            values["demo"] = "1"
        elif item == "--all-profiles":
            values["all"] = "1"
        elif item in ("-h", "--help"):
            raise _Help(USAGE + "\n\n" + (__doc__ or ""))
        elif "=" in item and item.split("=", 1)[0] in OPTIONS:
            name, value = item.split("=", 1)
            values[name] = value
        elif item in OPTIONS and items:
            values[item] = items.pop(0)
        else:
            raise _Usage(f"venice-tui statusline: error: {item!r} is not an option ({USAGE})")
    return values


def _seconds(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _Usage(
            f"venice-tui statusline: error: {name} {text!r} is not a number of seconds"
        ) from None
    if not low <= value <= high:
        raise _Usage(f"venice-tui statusline: error: {name} must be {low:g} to {high:g} seconds")
    return value


def _template(template: str) -> str:
    """`template` when every field in it is one of ours and it can be filled; else one line."""
    from string import Formatter  # `re` is loaded already (json): under a millisecond

    shown = f"--format {template!r}"
    try:
        fields = [part[1] for part in Formatter().parse(template) if part[1] is not None]
    except ValueError:
        raise _Usage(f"{_ERROR}{shown} has a lone brace: write {{{{ or }}}} for one") from None
    for field in fields:
        if field not in FIELDS:
            known = " ".join(f"{{{name}}}" for name in FIELDS)
            raise _Usage(f"{_ERROR}{shown}: {{{field}}} is not a field; use {known}")
    try:
        template.format(**dict.fromkeys(FIELDS, ""))
    except (ValueError, KeyError, IndexError, AttributeError):
        raise _Usage(
            f"{_ERROR}{shown} cannot be filled: a field takes only width and alignment "
            "(e.g. {today:>10}) or !s"
        ) from None
    return template


def run_statusline(argv: list[str]) -> int:
    try:
        options = _parse(argv)
        max_age = _seconds(options.get("--max-age", "600"), "--max-age", 0, 86400)
        timeout = _seconds(options.get("--timeout", "3"), "--timeout", 0.5, 60)
        template = _template(options.get("--format", DEFAULT_FORMAT))
    except _Help as exc:
        print(exc)
        return 0
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if options.get("all") or "--profiles" in options:
            from venice_tui.commands.statusline_fleet import run_fleet

            return run_fleet(options, max_age, timeout, options.get("--format"))
        return _run(options, max_age, timeout, template)
    except Exception as exc:  # a status bar gets one line, never a traceback
        print(f"venice ? ({type(exc).__name__})")
        return 1


def _where(options: dict[str, str]) -> tuple[str, str]:
    if options.get("demo"):
        return "demo", "https://demo.invalid/api/v1"
    profile = options.get("--profile") or os.environ.get("VENICE_PROFILE") or None
    return profile or _config().default_profile or "default", base_url_of(options, profile)


def _config() -> Config:
    from venice_tui.core.config import load_config

    return load_config()


def base_url_of(options: dict[str, str], profile: str | None) -> str:
    """`--base-url`, `VENICE_BASE_URL`, the profile's `[profile.<name>] base_url`, or Venice."""
    chosen = options.get("--base-url") or os.environ.get("VENICE_BASE_URL")
    if not chosen:
        config = _config()
        chosen = config.base_urls.get(profile or config.default_profile or "default")
    return (chosen or "https://api.venice.ai/api/v1").rstrip("/")


def _run(options: dict[str, str], max_age: float, timeout: float, template: str) -> int:
    profile, base_url = _where(options)
    digest = profile if options.get("demo") else current_account_digest(profile, base_url)
    summary = read_summary(summary_path(digest)) if digest else None
    now = utc_now()
    # A file dated in the future is not fresh: a clock set back, or a file not written by us.
    if summary is not None and 0 <= (now - summary.moment).total_seconds() < max_age:
        print(render(template, summary, now, stale=False))
        return 0
    fresh = _fetch_within(options, profile, base_url, timeout)
    if fresh is not None:
        print(render(template, fresh, now, stale=False))
        return 0
    if summary is not None:
        print(render(template, summary, now, stale=True))
        return 0
    print("venice ?")
    return 1


def _fetch_within(
    options: dict[str, str], profile: str, base_url: str, timeout: float
) -> StatusSummary | None:
    """A fresh summary, or None when it did not come within `timeout` (the fetch goes on in a
    daemon thread that the exit does not wait for)."""
    import threading

    result: list[StatusSummary] = []

    def fetch() -> None:
        with contextlib.suppress(Exception):  # any failure means: show the stale value
            result.append(_fetch(options, profile, base_url, timeout))

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(timeout)
    return result[0] if result else None


def _fetch(options: dict[str, str], profile: str, base_url: str, timeout: float) -> StatusSummary:
    import httpx

    from venice_tui.commands.account_json import fetch_account, fetch_figures_usage, figures_from
    from venice_tui.core.budgets import account_budgets, evaluate
    from venice_tui.core.fleet import glance_of
    from venice_tui.core.status_summary import summarize, write_summary

    key = None
    if options.get("demo"):
        from venice_tui.demo.connection import DemoConnection

        demo = DemoConnection.standard().fleet_member(profile)
        budgets = demo.budgets()[0]
        client = demo.sync_client()
    else:
        from venice_tui.api.sync_client import VeniceSyncClient
        from venice_tui.core.credentials import find_api_key

        budgets = account_budgets(profile)[0]
        key = find_api_key(profile, os.environ)
        if key is None:
            raise LookupError("no key")
        limit = httpx.Timeout(timeout, connect=min(timeout, 2.0))
        client = VeniceSyncClient(key, base_url, timeout=limit, deadline=timeout)
    now = utc_now()
    with client:
        state, usage = fetch_account(client, None, lambda: fetch_figures_usage(client, now.date()))
    assert usage is not None
    month, recent = usage
    figures = figures_from(now.date(), month, recent, now)
    findings = evaluate(budgets, month, state.keys.value or (), now.date())
    worst = int(glance_of(profile, "", state, figures, budgets, findings).severity)
    summary = summarize(
        month, state.balance.value, budgets.account.monthly_usd, figures, now, worst=worst
    )
    digest = profile if key is None else _account_digest(profile, base_url, key, state)
    if digest is not None:
        write_summary(summary_path(digest), summary)
    return summary


def _account_digest(profile: str, base_url: str, key: ApiKey, state: AccountState) -> str | None:
    """Where the key's account keeps its summary: known, or placed by the key list just
    fetched (as every command places a key); None when the key is new and its account's keys
    could not be listed."""
    from venice_tui.core.connection import Connection
    from venice_tui.core.settings import Settings

    account = Connection(Settings(base_url=base_url, profile=profile))
    files = account.known_files(key)
    if files is None:
        if state.keys.value is None:
            return None
        files = account.place(key, [k.key_id for k in state.keys.value]).files
    return files.digest


def worst_words(summary: StatusSummary) -> str | None:
    """The account's worst news in words (`WORST_WORDS`); None when the summary has none."""
    worst = summary.worst
    if worst is None or not 0 <= worst < len(WORST_WORDS):
        return None
    return WORST_WORDS[int(worst)]


def _worst_part(summary: StatusSummary) -> str:
    words = worst_words(summary)
    return f" ({words})" if words not in (None, "ok", "no data") else ""


def _usd(value: float | None) -> str:
    return "?" if value is None else usd(value)


def render(
    template: str, summary: StatusSummary, now: datetime, stale: bool, profile: str = ""
) -> str:
    seconds = (now - summary.moment).total_seconds()
    age = max(0, int(seconds))
    budget = summary.budget_usd
    fields = {
        "today": _usd(summary.today_usd),
        "today_diem": diem(summary.today_diem),
        "month": _usd(summary.month_usd),
        "budget": _usd(budget) if budget else "",
        "budget_pct": percent(summary.month_usd, budget) if budget else "",
        "budget_part": f"/{_usd(budget)} ({percent(summary.month_usd, budget)})"
        if budget
        else " this month",
        "diem_left": "?" if summary.diem_left is None else diem(summary.diem_left),
        "diem_total": "?" if summary.diem_allocation is None else diem(summary.diem_allocation),
        "balance": _usd(summary.balance_usd),
        "forecast": _usd(summary.forecast_usd),
        "rate": _usd(summary.rate_usd),
        "runway": "?" if summary.runway_days is None else f"{summary.runway_days:,.0f}d",
        "age": "?" if seconds < 0 else f"{age // 60}m" if age >= 60 else f"{age}s",
        "profile": profile,
        "worst": worst_words(summary) or "",
        "worst_part": _worst_part(summary),
        "stale": ""
        if not stale
        else " (stale, dated ahead)"
        if seconds < 0
        else f" (stale {age // 60}m)",
    }
    try:
        line = template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        line = f"venice: bad --format ({type(exc).__name__}: {exc})"
    return " ".join(line.split())
