"""`venice-tui check --all-profiles [--json]`: each account weighed as `check` weighs it, one line
each, worst first, and the exit code of the worst account:

  4 (one is over a budget or has a key at its limit) before 3 (a warning) before 1 (one could
  not be read: its line says why) before 0. A breach is never hidden behind another account's
  outage: a cron job that acts on 4 still sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.account_json import unavailable_json
from venice_tui.commands.check import OVER, WARNING, check_json, exit_code, within_line
from venice_tui.commands.fleet import FleetAccount, Reading, each_account, read_account
from venice_tui.commands.report import write
from venice_tui.core.report import dumps_json

#: Worse first.
CODE_RANK = (OVER, WARNING, exits.FAILURE, exits.OK)
STATUS = {exits.OK: "ok", WARNING: "warning", OVER: "over", exits.FAILURE: "failed"}


def code_of(reading: Reading) -> int:
    return exits.FAILURE if reading.error is not None else exit_code(list(reading.findings))


def worst_code(codes: Sequence[int]) -> int:
    return min(codes, key=CODE_RANK.index, default=exits.OK)


def line_of(reading: Reading) -> str:
    """The account in one line: its status and the worst finding (how many more), or how its
    month stands; a forecast past a line is said after it, as `check` says it."""
    code = code_of(reading)
    name = reading.profile
    if reading.error is not None:
        return f"{name}: failed: {reading.error}"
    findings = reading.findings
    if findings:
        more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
        text = f"{findings[0].message}{more}"
    else:
        assert reading.figures is not None
        text = within_line(reading.figures, reading.budgets).removeprefix("ok: ")
    standing = reading.glance.standing.words
    if standing.startswith("forecast"):
        text += f"; {standing}"
    return f"{name}: {STATUS[code]}: {text}"


def run_fleet_check(accounts: Sequence[FleetAccount], as_json: bool) -> int:
    now = utc_now()
    readings = [reading for reading, _ in each_account(accounts, lambda a: read_account(a, now))]
    readings.sort(key=lambda r: r.glance.sort_key)
    codes = [code_of(r) for r in readings]
    if as_json:
        write(dumps_json([_json(r, code) for r, code in zip(readings, codes, strict=True)]))
    else:
        write("".join(f"{line_of(r)}\n" for r in readings))
    return worst_code(codes)


def _json(reading: Reading, code: int) -> dict[str, Any]:
    month = reading.state.month.value
    if reading.error is not None or month is None or reading.figures is None:
        return {
            "profile": reading.profile,
            "status": "failed",
            "exitCode": exits.FAILURE,
            "error": reading.error,
        }
    body = check_json(
        code,
        list(reading.findings),
        month,
        reading.budgets,
        reading.figures,
        unavailable_json(reading.state),
    )
    return {"profile": reading.profile, **body}
