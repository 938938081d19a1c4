"""`venice-tui check` exit codes and `venice-tui statusline` (fresh cache, stale cache, server
down, server hanging), as subprocesses against the loopback demo-server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
KEY = "sk-admin-check-0123456789SECRET"


def env_with_budget(
    server: DemoServerProcess, monthly: float | None, **extra: str
) -> dict[str, str]:
    env = cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=server.base_url, **extra)
    config = Path(env["VENICE_TUI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    if monthly is not None:
        (config / "config.toml").write_text(f"# mine\n[budget.default]\nmonthly_usd = {monthly}\n")
    return env


def run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def month_usd(server: DemoServerProcess) -> float:
    body = server.usage("startDate=2026-11-01&endDate=2026-11-25")
    return float(sum(row["USD"] for row in body["byDate"]))


@pytest.mark.parametrize(
    ("factor", "code", "word"), [(2.0, 0, "ok:"), (1.1, 3, "warning:"), (0.5, 4, "over:")]
)
def test_check_exit_codes_against_the_monthly_budget(
    demo_server: DemoServerProcess, factor: float, code: int, word: str
) -> None:
    demo_server.fault("500", path="/api_keys")  # the key limits apart: the budget alone decides
    env = env_with_budget(demo_server, round(month_usd(demo_server) * factor, 2))
    result = run(env, "check")
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout.startswith(word)
    assert "key limits were not checked" in result.stderr


def test_check_counts_venice_key_limits_as_budgets(demo_server: DemoServerProcess) -> None:
    result = run(env_with_budget(demo_server, None), "check", "--json")
    assert result.returncode == 4, result.stderr
    out = json.loads(result.stdout)
    assert out["status"] == "over" and out["exitCode"] == 4
    levels = {f["subject"]: f["level"] for f in out["findings"]}
    # two keys are called Staging: the one at its limit is named as the table names it
    assert levels["Staging (...1a3b57)"] == "over" and levels["Batch pipeline"] == "warning"
    assert KEY not in result.stdout + result.stderr


def test_check_is_exit_1_when_venice_is_down(demo_server: DemoServerProcess) -> None:
    demo_server.fault("500")
    result = run(env_with_budget(demo_server, 100), "check")
    assert result.returncode == 1 and "server error (500)" in result.stderr


def test_statusline_from_a_fresh_cache_stale_cache_down_and_hanging(
    demo_server: DemoServerProcess,
) -> None:
    env = env_with_budget(demo_server, 400)
    first = run(env, "statusline")
    assert first.returncode == 0, first.stderr
    line = first.stdout.strip()
    assert "today" in line and "/$400.00 (" in line and "DIEM" in line and "stale" not in line
    demo_server.fault("500")  # Venice down, but the value on disk is fresh: no request at all
    requests = demo_server.stats()["requests"]
    assert run(env, "statusline").stdout.strip() == line
    assert demo_server.stats()["requests"] == requests
    stale = run(env, "statusline", "--max-age", "0")  # too old now, and Venice is down
    assert stale.returncode == 0 and "(stale" in stale.stdout
    demo_server.fault("hang")
    # The server holds the request far longer than 20 s: only the statusline's own timeout
    # lets it answer before `run` gives up on it.
    hung = run(env, "statusline", "--max-age", "0", "--timeout", "1", timeout=20)
    assert hung.returncode == 0 and "(stale" in hung.stdout
    custom = run(env, "statusline", "--format", "{month} of {budget} ({budget_pct})")
    assert custom.stdout.strip().endswith("%)") and " of $400.00 (" in custom.stdout
    bad = run(env, "statusline", "--bogus")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_statusline_without_any_data_or_key_says_so_in_one_line(tmp_path: Path) -> None:
    env = cli_env(VENICE_BASE_URL="http://127.0.0.1:9/api/v1")
    result = run(env, "statusline", "--timeout", "1")
    assert result.returncode == 1 and result.stdout.strip() == "venice ?"
    assert result.stderr == ""


def test_check_and_the_status_line_say_the_forecast_the_same(
    demo_server: DemoServerProcess,
) -> None:
    """Two processes, one clock: the forecast and the rate come out the same, in the same words."""
    env = env_with_budget(demo_server, 400)
    line = next(ln for ln in run(env, "check").stdout.splitlines() if ln.startswith("forecast: "))
    # forecast: $342.23 for Nov, at $14.41/day (this month so far + the last 7 full days' rate)…
    forecast, rate = line.split()[1], line.split()[5].removesuffix("/day")
    assert line.endswith("; forecast near budget")
    shown = run(env, "statusline", "--max-age", "0", "--format", "{forecast} {rate} {runway}")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[:2] == [forecast, rate]
    balance = run(env, "balance")
    assert f"at {rate}/day (last 7 full days)" in balance.stdout
