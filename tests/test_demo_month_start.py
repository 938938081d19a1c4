"""The demo is plausible at any hour of any day of the month (issue 20.10): today's usage, the
balance and the ledger (History) hold the same requests so far, DIEM pays first, and key limits
are sized to their whole period, also at 00:05 on the 1st, where they used to be scaled to the
five minutes so far ("$0.01/mo")."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.widgets import Static

from tests.conftest import DemoServerProcess, cli_env, start_demo_server
from tests.harness import settle
from tests.ui_helpers import wait_until
from venice_tui.api.period import Period
from venice_tui.archive.ledger_query import LedgerView, totals
from venice_tui.core import format as fmt
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.demo.account_bodies import api_keys_body, balance_body
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder
from venice_tui.ui.run import build_app
from venice_tui.ui.screens.history import HistoryScreen
from venice_tui.ui.widgets.kpi import KpiTile

MONTH_START = datetime(2026, 12, 1, 0, 5, tzinfo=UTC)
ADMIN = "sk-admin-month-start-0123456789"
BATCH = "8b1d4e22-7c3a-4f5e-8d9b-0a1b2c3d9f12"
#: The Staging key with a daily DIEM limit (another key shares its description).
STAGING = "c5a7e913-2b4d-4e6f-a1c3-5d7e9f1a3b57"
#: Instants of a month: its first minutes, mornings, the end of a long and of a short month.
INSTANTS = (
    MONTH_START,
    datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    datetime(2026, 12, 15, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2027, 2, 1, 0, 1, tzinfo=UTC),
    datetime(2027, 2, 28, 18, 30, tzinfo=UTC),
    datetime(2026, 11, 25, 15, 30, tzinfo=UTC),
)


def _ledger_today(responder: DemoResponder, now: datetime) -> tuple[float, float]:
    rows = responder.ledger.day(now.date(), now)
    usd = math.fsum(-r.amount for r in rows if r.currency == "USD")
    diem = math.fsum(-r.amount for r in rows if r.currency == "DIEM")
    return usd, diem


@pytest.mark.parametrize("now", INSTANTS, ids=lambda n: n.strftime("%Y-%m-%dT%H:%M"))
def test_usage_balance_and_ledger_hold_the_same_today(now: datetime) -> None:
    responder = DemoResponder(now=lambda: now)
    account = responder.account
    (row,) = account.analytics([now.date()], now, "1d")["byDate"]
    ledger_usd, ledger_diem = _ledger_today(responder, now)
    assert row["USD"] == pytest.approx(ledger_usd, abs=1e-5)
    assert row["DIEM"] == pytest.approx(ledger_diem, abs=1e-5)
    left = balance_body(account, now)["balances"]["diem"]
    assert left == pytest.approx(account.diem_per_day - row["DIEM"], abs=1e-4)
    if row["USD"] > 0:  # DIEM pays first: USD only once today's DIEM is gone
        assert left == 0
    assert all(r.ts <= now.timestamp() * 1000 for r in responder.ledger.day(now.date(), now))


@pytest.mark.parametrize("now", INSTANTS, ids=lambda n: n.strftime("%Y-%m-%dT%H:%M"))
def test_key_limits_are_sized_to_their_whole_period_and_never_passed(now: datetime) -> None:
    account = DemoAccount()
    keys = {k["id"]: k for k in api_keys_body(account, now)["data"]}
    batch, staging = keys[BATCH], keys[STAGING]
    assert batch["limitPeriod"] == "MONTH" and staging["limitPeriod"] == "EPOCH"
    # A month of the key, as its last 30 full days were (the demo's story is steady).
    before = [now.date() - timedelta(days=d) for d in range(30, 0, -1)]
    month_usd = sum(
        k["totalUsd"]
        for k in account.analytics(before, now, "30d")["byKey"]
        if k["apiKeyId"] == batch["id"]
    )
    assert 0.6 * month_usd <= batch["consumptionLimits"]["usd"] <= 1.6 * month_usd
    week = [now.date() - timedelta(days=d) for d in range(7, 0, -1)]
    day_diem = (
        sum(
            k["totalDiem"]
            for k in account.analytics(week, now, "7d")["byKey"]
            if k["apiKeyId"] == staging["id"]
        )
        / 7
    )
    assert 0.4 * day_diem <= staging["consumptionLimits"]["diem"] <= 2.5 * day_diem
    for key, currency in ((batch, "usd"), (staging, "diem")):
        used = float(key["currentPeriodUsage"][currency])
        assert used <= key["consumptionLimits"][currency]  # Venice stops a key at its limit


@pytest.fixture
def month_start_server() -> Iterator[DemoServerProcess]:
    server = start_demo_server("--now", MONTH_START.isoformat())
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def run(server: DemoServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(
        VENICE_API_KEY=ADMIN,
        VENICE_BASE_URL=server.base_url,
        VENICE_TUI_NOW=MONTH_START.isoformat(),
        VENICE_TUI_DATA_DIR=os.environ["VENICE_TUI_DATA_DIR"],  # the dashboard's archive below
    )
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.e2e
async def test_at_0005_on_the_first_the_demo_agrees_with_itself(
    month_start_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = month_start_server
    report = json.loads(run(server, "report", "--json", "-l", "30d").stdout)
    balance = json.loads(run(server, "balance", "--json").stdout)
    run(server, "sync", "--since", "2026-11-30")
    today = report["byDate"][-1]
    assert today["date"] == "2026-12-01"
    # Five minutes in: a little DIEM, no USD yet (DIEM pays first), and the balance lost as much.
    assert today["usd"] == 0 and 0 < today["diem"] < 0.5
    assert balance["balance"]["diem"] == pytest.approx(12 - today["diem"], abs=1e-4)
    # Key limits are month- and day-sized, not five minutes' worth.
    keys = {k["id"]: k for k in report["apiKeys"]}
    month_of_batch = next(k for k in report["byKey"] if k["apiKeyId"] == BATCH)
    assert keys[BATCH]["consumptionLimits"]["usd"] > 0.6 * month_of_batch["totalUsd"]
    assert keys[BATCH]["limitUsed"] < 0.01
    assert keys[STAGING]["consumptionLimits"]["diem"] > 0.25

    # The dashboard on the same server and archive: Overview and History say the same.
    monkeypatch.setenv("VENICE_TUI_NOW", MONTH_START.isoformat())
    monkeypatch.setenv("VENICE_API_KEY", ADMIN)
    settings = Settings(
        base_url=server.base_url, chosen_base_url=server.base_url, profile="default"
    )
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await settle(pilot)
        tile = app.screen.query_one("#kpi-today", KpiTile)
        assert tile.value == fmt.usd(today["usd"])
        assert tile.note == f"+ {fmt.diem(today['diem'])} DIEM"
        left = app.screen.query_one("#kpi-diem-left", KpiTile).value
        assert left == f"{fmt.diem(balance['balance']['diem'])} of 12.00 left"
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("right_square_bracket")  # the day after the last 24 hours: today
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await wait_until(pilot, lambda: history.scope.day == date(2026, 12, 1))
        await settle(pilot)
        said = str(history.query_one("#history-totals", Static).render())
        assert f"{fmt.usd(today['usd'])} USD {'·'} {fmt.diem(today['diem'])} DIEM" in said
        assert app.archive is not None
        start = int(MONTH_START.replace(minute=0).timestamp() * 1000)
        held = app.archive.run(lambda db: totals(db, LedgerView(start=start)))
    assert held.rows > 0 and held.last_ts is not None
    assert held.last_ts <= MONTH_START.timestamp() * 1000
    assert held.usd == pytest.approx(today["usd"], abs=1e-5)
    assert held.diem == pytest.approx(today["diem"], abs=1e-5)
