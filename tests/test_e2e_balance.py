"""`venice-tui balance` and `report --json`'s account objects, as subprocesses against the
loopback demo-server: an ADMIN key, an INFERENCE key, and one endpoint down at a time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
ADMIN = "sk-admin-balance-0123456789SECRET"
INFERENCE = "inference-key-0123456789SECRET"


def run(
    server: DemoServerProcess, *args: str, key: str = ADMIN
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=cli_env(VENICE_API_KEY=key, VENICE_BASE_URL=server.base_url),
        timeout=60,
    )


def test_balance_text_says_what_is_left(demo_server: DemoServerProcess) -> None:
    result = run(demo_server, "balance")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "USD         $412.50  (+ $25.00 bundled credits)" in out
    assert "DIEM today" in out and "of 12.00 left" in out and "resets 00:00 UTC, in" in out
    assert "Runway" in out and "days at $" in out
    assert ADMIN not in out + result.stderr


def test_balance_json_for_scripts(demo_server: DemoServerProcess) -> None:
    result = run(demo_server, "balance", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["balance"]["usd"] == 412.5 and out["balance"]["bundledCredits"] == 25.0
    assert out["balance"]["diemEpochAllocation"] == 12.0
    assert out["diemResetsAt"] == "2026-11-26T00:00:00Z"
    runway = out["runway"]
    assert runway["rateDays"] == 7 and runway["spendableUsd"] == 437.5
    assert runway["days"] == pytest.approx(437.5 / runway["dailyUsd"])
    assert out["unavailable"] == {}


def test_an_inference_key_gets_its_own_balance_and_the_reason(
    demo_server: DemoServerProcess,
) -> None:
    result = run(demo_server, "balance", key=INFERENCE)
    assert result.returncode == 0, result.stderr
    assert "needs an ADMIN key; showing this key's own balance" in result.stdout
    out = json.loads(run(demo_server, "balance", "--json", key=INFERENCE).stdout)
    assert out["balance"] is None and out["unavailable"]["balance"] == "needs an ADMIN key"
    assert out["key"]["usd"] == 412.5


def test_report_json_has_balance_and_api_keys(demo_server: DemoServerProcess) -> None:
    result = run(demo_server, "report", "--json", "-l", "30d")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"period", "totals", "byDate", "byModel", "byKey"} <= set(out)  # unchanged
    assert out["balance"]["usd"] == 412.5
    keys = {k["description"]: k for k in out["apiKeys"]}
    batch = keys["Batch pipeline"]
    assert batch["limitPeriod"] == "MONTH" and batch["limitUsed"] == pytest.approx(0.83, abs=0.01)
    assert keys["venice-tui (admin)"]["apiKeyType"] == "ADMIN"
    assert keys["Spare (not yet deployed)"]["lastUsedAt"] is None
    by_key = {k["apiKeyId"] for k in out["byKey"]}
    assert batch["id"] in by_key  # the same ids as the usage


@pytest.mark.parametrize(
    ("path", "field"), [("/billing/balance", "balance"), ("/api_keys", "apiKeys")]
)
def test_one_endpoint_down_is_null_with_a_reason(
    demo_server: DemoServerProcess, path: str, field: str
) -> None:
    demo_server.fault("500", path=path)
    result = run(demo_server, "report", "--json")
    assert result.returncode == 0, result.stderr  # the usage still came
    out = json.loads(result.stdout)
    assert out[field] is None and "server error (500)" in out["unavailable"][field]
    other = "apiKeys" if field == "balance" else "balance"
    assert out[other] is not None and out["byDate"]


def test_balance_down_exits_1_when_nothing_is_left_to_show(demo_server: DemoServerProcess) -> None:
    demo_server.fault("500")
    result = run(demo_server, "balance")
    assert result.returncode == 1 and "server error (500)" in result.stderr
    assert "Traceback" not in result.stderr
