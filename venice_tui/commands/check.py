"""`venice-tui check [--json]`: for cron and CI. One fetch of this month so far and the keys,
the profile's budgets and Venice's key limits weighed, one line per breach, and an exit code:

  0  within every budget        3  a warning (past `alerts.warn_at`)
  4  over a budget, or a key at its Venice limit
  1  API, network or credential trouble      2  bad arguments (nothing was sent)
"""

from __future__ import annotations

import contextlib
from typing import Any

from venice_tui.api.account import Balance
from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.account_json import fetch_account, unavailable_json
from venice_tui.commands.report import Account, say, write
from venice_tui.core.account_state import month_to_date
from venice_tui.core.budgets import Budgets, Finding, evaluate
from venice_tui.core.format import percent
from venice_tui.core.report import dumps_json
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.core.status_summary import summarize, summary_path, write_summary

WARNING, OVER = 3, 4


def run_check(account: Account, budgets: Budgets, as_json: bool) -> int:
    now = utc_now()
    period = month_to_date(now.date())
    try:
        files = account.files_if_known()
        cache = SnapshotCache(files) if files is not None and files.on_disk else None
        with account.sync_client() as client:
            state, month = fetch_account(client, cache, lambda: client.fetch(period))
        files = files or account.place_from(state.keys.value)
    except VeniceError as exc:
        say(str(exc))
        return exits.FAILURE
    assert month is not None
    findings = evaluate(budgets, month, state.keys.value or (), now.date())
    if files is not None:
        _keep_summary(files.digest, month, state.balance.value, budgets)
    code = OVER if any(f.level == "over" for f in findings) else WARNING if findings else exits.OK
    if as_json:
        write(dumps_json(_as_json(code, findings, month, budgets, unavailable_json(state))))
        return code
    if findings:
        write(
            "".join(
                f"{'over' if f.level == 'over' else 'warning'}: {f.message}\n" for f in findings
            )
        )
    else:
        write(_within(month, budgets) + "\n")
    if state.keys.value is None and state.keys.error:
        say(f"warning: Venice's key limits were not checked: {state.keys.error}")
    return code


def _within(month: UsageAnalytics, budgets: Budgets) -> str:
    spent = sum(d.usd for d in month.daily)
    budget = budgets.account.monthly_usd
    if budget:
        return f"ok: ${spent:,.2f} of ${budget:,.2f} this month ({percent(spent, budget)}), every budget and key limit below its warning line"
    return f"ok: ${spent:,.2f} this month; no budget set, every Venice key limit below its warning line"


def _as_json(
    code: int,
    findings: list[Finding],
    month: UsageAnalytics,
    budgets: Budgets,
    unavailable: dict[str, str],
) -> dict[str, Any]:
    return {
        "status": {exits.OK: "ok", WARNING: "warning", OVER: "over"}[code],
        "exitCode": code,
        "month": {
            "start": month.period.first_and_last(month.daily[-1].day)[0].isoformat()
            if month.daily
            else None,
            "usd": sum(d.usd for d in month.daily),
            "diem": sum(d.diem for d in month.daily),
            "budgetUsd": budgets.account.monthly_usd,
            "dailyBudgetUsd": budgets.account.daily_usd,
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


def _keep_summary(
    digest: str, month: UsageAnalytics, balance: Balance | None, budgets: Budgets
) -> None:
    with contextlib.suppress(OSError):
        write_summary(summary_path(digest), summarize(month, balance, budgets.account.monthly_usd))
