"""`venice-tui report --all-profiles [--json | --csv]`: every account, worst first: the period's
totals, today, this month against its budget, the balance and the worst alert. `--json` gives
each profile what `report --json` gives for one (same keys), with `profile` and its row
(`account`); a profile that failed has `error` and its row alone."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_now
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.commands import exits
from venice_tui.commands.account_json import api_keys_json, balance_json, unavailable_json
from venice_tui.commands.fleet import FleetAccount, Reading, each_account, glance_json, read_account
from venice_tui.commands.report import fetch_period, keep_body, known_archive, write, write_file
from venice_tui.core import format as fmt
from venice_tui.core import report
from venice_tui.core.fleet import Glance
from venice_tui.core.numbers import whole_percent
from venice_tui.core.snapshot_cache import SnapshotCache


@dataclass(frozen=True)
class Reported:
    reading: Reading
    #: The period's usage (None: the account failed).
    usage: UsageAnalytics | None

    @property
    def glance(self) -> Glance:
        return self.reading.glance


def gather(accounts: Sequence[FleetAccount], period: Period, now: datetime) -> list[Reported]:
    """Each account read as `check` reads it, with the period's usage beside it (kept on disk
    and in its own archive as `report` keeps it); worst first."""

    def one(account: FleetAccount) -> Reported:
        def usage(client: VeniceSyncClient, cache: SnapshotCache | None) -> UsageAnalytics:
            archive = known_archive(account, account.files_if_known())
            analytics, body = fetch_period(client, archive, period)
            keep_body(cache, period, body)
            return analytics

        reading, analytics = read_account(account, now, usage)
        return Reported(reading, analytics)

    done = each_account(accounts, one)
    return sorted(done, key=lambda r: r.glance.sort_key)


def run_fleet_report(
    accounts: Sequence[FleetAccount], period: Period, output: str, path: str | None = None
) -> int:
    now = utc_now()
    rows = gather(accounts, period, now)
    if output == "json":
        text = report.dumps_json([_json(row, now) for row in rows])
    elif output == "csv":
        text = render_csv(rows, now)
    else:
        text = render_table(rows, period, now)
    if path is not None:
        code = write_file(Path(path), text)
    else:
        write(text)
        code = exits.OK
    if code == exits.OK and rows and all(r.usage is None for r in rows):
        return exits.FAILURE  # not one account answered: a script must hear it
    return code


def _json(row: Reported, now: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {"profile": row.glance.profile}
    if row.usage is not None:
        state = row.reading.state
        out |= {
            **report.as_json(row.usage, now.date()),
            "balance": balance_json(state.balance.value),
            "apiKeys": api_keys_json(state.keys.value),
            "unavailable": unavailable_json(state),
        }
    else:
        out["error"] = row.reading.error
    out["account"] = glance_json(row.glance, now)
    return out


CSV_FIELDS = (
    "profile",
    "key",
    "status",
    "period_start",
    "period_end",
    "period_usd",
    "period_diem",
    "today_usd",
    "today_diem",
    "month_usd",
    "month_diem",
    "budget_usd",
    "budget_used_percent",
    "forecast_usd",
    "balance_usd",
    "diem_left",
    "runway_days",
    "alert",
    "data_age_seconds",
    "error",
)


def render_csv(rows: Sequence[Reported], now: datetime) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CSV_FIELDS)
    for row in rows:
        data = glance_json(row.glance, now)
        first, last = (
            row.usage.period.first_and_last(now.date()) if row.usage is not None else (None, None)
        )
        values: dict[str, Any] = {
            "profile": row.glance.profile,
            "key": data["key"],
            "status": data["status"],
            "period_start": first.isoformat() if first else None,
            "period_end": last.isoformat() if last else None,
            "period_usd": row.usage.totals.usd if row.usage is not None else None,
            "period_diem": row.usage.totals.diem if row.usage is not None else None,
            "today_usd": data["todayUsd"],
            "today_diem": data["todayDiem"],
            "month_usd": data["monthUsd"],
            "month_diem": data["monthDiem"],
            "budget_usd": data["budgetUsd"],
            "budget_used_percent": data["budgetUsedPercent"],
            "forecast_usd": data["forecastUsd"],
            "balance_usd": data["balanceUsd"],
            "diem_left": data["diemLeft"],
            "runway_days": data["runwayDays"],
            "alert": data["alert"],
            "data_age_seconds": data["dataAgeSeconds"],
            "error": data["error"],
        }
        out.writerow(_cell(values[name]) for name in CSV_FIELDS)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def render_table(rows: Sequence[Reported], period: Period, now: datetime) -> str:
    header = ["Profile", "Key", "Period USD", "DIEM", "Month", "Budget", "Balance", "Worst"]
    body = [_table_row(row) for row in rows]
    out = [f"Venice accounts · {period.label} (UTC) · worst first", ""]
    widths = [max(len(header[i]), *(len(r[i]) for r in body)) for i in range(len(header) - 1)]
    right = {2, 3, 4, 5, 6}

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells[:-1])
        ]
        return ("  " + "  ".join([*parts, cells[-1]])).rstrip()

    out += [line(header), *(line(r) for r in body)]
    return "\n".join(out) + "\n"


def _table_row(row: Reported) -> list[str]:
    glance = row.glance
    usage = row.usage
    month = fmt.money(glance.month_usd) if glance.month_usd is not None else "—"
    budget = "—"
    if glance.budget_usd:
        budget = fmt.usd(glance.budget_usd)
        if glance.month_usd is not None:
            used = whole_percent(glance.month_usd.amount, glance.budget_usd)
            budget += f" ({used}%)"
    worst = glance.alert or glance.severity.label
    return [
        fmt.truncate(glance.profile, 24),
        glance.key or "—",
        fmt.usd(usage.totals.usd) if usage is not None else "—",
        fmt.diem(usage.totals.diem) if usage is not None else "—",
        month,
        budget,
        fmt.usd(glance.balance_usd) if glance.balance_usd is not None else "—",
        worst,
    ]
