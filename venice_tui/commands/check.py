"""`venice-tui check [--json]`: for cron and CI. One fetch of this month so far and the keys,
the profile's budgets and Venice's key limits weighed, one line per breach, and an exit code:

  0  within every budget        3  a warning (past `alerts.warn_at`)
  4  over a budget, or a key at its Venice limit
  1  API, network or credential trouble      2  bad arguments (nothing was sent)
"""

from __future__ import annotations

import contextlib
from typing import Any

from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.account_json import (
    fetch_account,
    fetch_figures_usage,
    figures_from,
    unavailable_json,
)
from venice_tui.commands.report import Account, say, write
from venice_tui.core.account_state import AccountState
from venice_tui.core.amounts import Usd
from venice_tui.core.budgets import Budgets, Finding, evaluate, month_standing
from venice_tui.core.figures import Figures
from venice_tui.core.fleet import glance_of
from venice_tui.core.format import money, percent, usd
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.report import dumps_json
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.core.status_summary import (
    StatusSummary,
    read_summary,
    summarize,
    summary_path,
    write_summary,
)

WARNING, OVER = 3, 4
#: The account's slices a check reads (the key's own limits are not among them: not asked).
CHECKED = ("balance", "api-keys")


def run_check(account: Account, budgets: Budgets, as_json: bool) -> int:
    now = utc_now()
    today = now.date()
    try:
        files = account.files_if_known()
        cache = SnapshotCache(files) if files is not None and files.on_disk else None
        with account.sync_client() as client:
            state, usage = fetch_account(
                client, cache, lambda: fetch_figures_usage(client, today), CHECKED
            )
        files = files or account.place_from(state.keys.value)
    except VeniceError as exc:
        say(str(exc))
        return exits.FAILURE
    assert usage is not None
    month, recent = usage
    figures = figures_from(today, month, recent, now)
    findings = evaluate(budgets, month, state.keys.value or (), today)
    if files is not None:
        keep_summary(files.digest, month, state, budgets, figures, findings)
    code = exit_code(findings)
    if as_json:
        write(
            dumps_json(check_json(code, findings, month, budgets, figures, unavailable_json(state)))
        )
        return code
    if findings:
        write(
            "".join(
                f"{'over' if f.level == 'over' else 'warning'}: {f.message}\n" for f in findings
            )
        )
    else:
        write(within_line(figures, budgets) + "\n")
    write(forecast_line(figures, budgets, recent) + "\n")
    if state.keys.value is None and state.keys.error:
        say(f"warning: Venice's key limits were not checked: {state.keys.error}")
    return code


def exit_code(findings: list[Finding]) -> int:
    return OVER if any(f.level == "over" for f in findings) else WARNING if findings else exits.OK


def within_line(figures: Figures, budgets: Budgets) -> str:
    spent = figures.month_usd or Usd(0.0)
    budget = budgets.account.monthly_usd
    if budget:
        return f"ok: {money(spent)} of {usd(budget)} this month ({percent(spent.amount, budget)}), every budget and key limit below its warning line"
    return f"ok: {money(spent)} this month; no budget set, every Venice key limit below its warning line"


def forecast_line(
    figures: Figures, budgets: Budgets, recent: UsageAnalytics | VeniceError | None
) -> str:
    """The month-end forecast, as the dashboard's tile and budget bar say it."""
    forecast = figures.forecast
    if forecast is None:
        why = (
            f"the full days could not be read ({recent})"
            if isinstance(recent, VeniceError)
            else "needs the last 7 full days"
        )
        return f"forecast: none, {why}"
    line = (
        f"forecast: {money(forecast.usd)} for {forecast.month}, "
        f"at {money(forecast.rate.usd)}/day ({forecast.basis})"
    )
    budget = budgets.account.monthly_usd
    if budget and figures.month_usd is not None:
        standing = month_standing(figures.month_usd.amount, forecast.usd.amount, budget, budgets)
        line += f", {percent(forecast.usd.amount, budget)} of {usd(budget)}"
        line += f"; {standing.words}" if standing.words else ""
    return line


def _forecast_json(figures: Figures, budgets: Budgets) -> dict[str, Any]:
    forecast, budget = figures.forecast, budgets.account.monthly_usd
    standing = (
        month_standing(figures.month_usd.amount, forecast.usd.amount, budget, budgets)
        if forecast is not None and budget and figures.month_usd is not None
        else None
    )
    return {
        "forecastUsd": forecast.usd.amount if forecast else None,
        "forecastDiem": forecast.diem.amount if forecast else None,
        "forecastBasis": forecast.basis if forecast else None,
        "rateUsd": figures.rate.usd.amount if figures.rate else None,
        "standing": standing.words or None if standing else None,
    }


def check_json(
    code: int,
    findings: list[Finding],
    month: UsageAnalytics,
    budgets: Budgets,
    figures: Figures,
    unavailable: dict[str, str],
) -> dict[str, Any]:
    return {
        "status": {exits.OK: "ok", WARNING: "warning", OVER: "over"}[code],
        "exitCode": code,
        "month": {
            "start": month.period.first_and_last(month.daily[-1].day)[0].isoformat()
            if month.daily
            else None,
            "usd": figures.month_usd.amount if figures.month_usd is not None else 0.0,
            "diem": figures.month_diem.amount if figures.month_diem is not None else 0.0,
            "budgetUsd": budgets.account.monthly_usd,
            "dailyBudgetUsd": budgets.account.daily_usd,
            **_forecast_json(figures, budgets),
        },
        "findings": [
            {
                "id": f.ident,
                "level": f.level,
                "subject": f.subject,
                "spent": f.spent,
                "budget": f.budget,
                "unit": f.unit,
                "window": f.window,
                "share": f.share,
                "message": f.message,
            }
            for f in findings
        ],
        "unavailable": unavailable,
    }


def keep_summary(
    digest: str,
    month: UsageAnalytics,
    state: AccountState,
    budgets: Budgets,
    figures: Figures,
    findings: list[Finding],
) -> None:
    """The status bar's numbers, with the account's worst news (`statusline --all-profiles`
    puts the worst account first)."""
    worst = glance_of("", "", state, figures, budgets, findings).severity
    summary = summarize(
        month, state.balance.value, budgets.account.monthly_usd, figures, worst=int(worst)
    )
    path = summary_path(digest)
    kept = read_summary(path)
    if (
        kept is not None
        and _same_numbers(kept, summary)
        and summary.moment - kept.moment < REWRITE_AFTER
    ):
        return  # the same numbers written lately: `statusline` finds them fresh as they are
    with contextlib.suppress(OSError):
        write_summary(path, summary)


def _same_numbers(a: StatusSummary, b: StatusSummary) -> bool:
    first, second = a.as_dict(), b.as_dict()
    first.pop("at"), second.pop("at")
    return first == second
