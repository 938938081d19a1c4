"""One number, one truth, on the demo account at a fixed clock: the forecast, the rate, the
runway, today and spikes read the same at every period, and the same value, rounded the same
way, reaches the tiles, the budget bar, alerts, `check`, `balance`, metrics and the status
line; a key is named the same in the table, alerts, `check` and metrics."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.harness import FIXED_NOW, demo_app, settle
from tests.test_budgets_ui import Delivered, write_config
from venice_tui.api.period import Period
from venice_tui.commands.balance import run_balance
from venice_tui.commands.check import run_check
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.commands.statusline import render
from venice_tui.core import format as fmt
from venice_tui.core.budgets import account_budgets, month_standing
from venice_tui.core.key_rows import join_keys
from venice_tui.core.status_summary import read_summary, summary_path
from venice_tui.demo.connection import DemoConnection
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.widgets.budget_bar import BudgetBar
from venice_tui.ui.widgets.kpi import KpiTile

PERIODS = (Period.lookback(1), Period.lookback(7), Period.lookback(90), Period.lookback(365))
#: Today's $7.33 is over a $5 daily budget; $265.10 of $300 this month is near the monthly one.
CONFIG = "[budget.demo]\nmonthly_usd = 300\ndaily_usd = 2\n"  # today so far: $2.35


def tile(app: VeniceApp, kpi_id: str) -> KpiTile:
    return app.screen.query_one(f"#{kpi_id}", KpiTile)


async def look(period: Period) -> dict[str, Any]:
    """What the Overview shows of the account's figures at `period`, checked for agreement
    between the places on the screen."""
    app = demo_app(period)
    async with app.run_test(size=(120, 36)) as pilot:
        delivered = Delivered(app)
        await settle(pilot)
        figures = app.store.figures
        forecast, rate = figures.forecast, figures.rate
        assert forecast is not None and rate is not None and figures.month_usd is not None
        projection, average = tile(app, "kpi-projection"), tile(app, "kpi-average")
        runway, today = tile(app, "kpi-runway"), tile(app, "kpi-today")
        bar = str(app.screen.query_one(BudgetBar).render())
        # the forecast tile and the budget bar: one value, one percentage, one state
        share = fmt.percent(forecast.usd.amount, 300)
        assert projection.value == fmt.money(forecast.usd)
        assert f"forecast {projection.value} ({share})" in bar
        standing = month_standing(figures.month_usd.amount, forecast.usd.amount, 300, app.budgets)
        assert standing.level == "warning" and projection.has_class("-warning")
        assert projection.note == f"⚠ {share} of budget" and bar.endswith(f"⚠ {standing.words}")
        # the runway runs at the rate the 7-day average tile shows
        assert average.value == fmt.money(rate.usd)
        assert runway.note.endswith(f"at {average.value}/day")
        # today's tile and its alert (delivered once, remembered after): one amount, one share
        (alert,) = [f.message for f in app.findings if f.ident.startswith("account:day:")]
        assert alert in delivered.alerts() or period != PERIODS[0]
        assert alert.startswith(f"The account is over budget: {today.value} of $2.00 today")
        assert today.note == f"✗ {alert.rsplit('(', 1)[1].rstrip(')')} of daily budget"
        # the status line's numbers were written from the same figures
        summary = read_summary(summary_path("demo"))
        assert summary is not None
        line = render("{today} {forecast} {rate}", summary, summary.moment, stale=False)
        assert line == f"{today.value} {projection.value} {average.value}"
        # the table, the alerts and the findings name the key at its limit one way
        assert app.snapshot is not None
        views = join_keys(app.snapshot.analytics.keys, app.account.keys.value, FIXED_NOW)
        names = {v.key_id: v.description for v in views}
        staging = next(f for f in app.findings if f.ident.startswith("limit:c5a7e913"))
        assert staging.subject == names["c5a7e913-2b4d-4e6f-a1c3-5d7e9f1a3b57"]
        return {
            "figures": figures,
            "shown": (projection.value, projection.note, average.value, runway.note, bar),
            "today": (today.value, today.note),
            "key": staging.subject,
        }


async def test_every_period_shows_the_same_figures_in_the_same_words() -> None:
    write_config(CONFIG)
    seen = {period: await look(period) for period in PERIODS}
    first = seen[Period.lookback(7)]
    for period, what in seen.items():
        for name in ("figures", "shown", "today", "key"):
            assert what[name] == first[name], (period, name)
    spikes = first["figures"].spikes
    assert [s.day.isoformat() for s in spikes] == ["2026-11-22"]  # the runaway agent


async def test_check_balance_and_metrics_say_what_the_dashboard_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(CONFIG)
    shown = await look(Period.lookback(30))
    figures = shown["figures"]
    projection, _, average, runway_note, _ = shown["shown"]
    demo = DemoConnection.standard()
    budgets = account_budgets("demo")[0]
    capsys.readouterr()
    assert run_check(demo, budgets, as_json=False) == 4
    out = capsys.readouterr().out
    assert f"over: The account is over budget: {shown['today'][0]} of $2.00 today" in out
    assert f"forecast: {projection} for Nov, at {average}/day (this month so far" in out
    assert "; near budget" in out
    assert f"{shown['key']} is at its Venice limit" in out
    assert run_check(demo, budgets, as_json=True) == 4
    month = json.loads(capsys.readouterr().out)["month"]
    assert month["forecastUsd"] == figures.forecast.usd.amount
    assert month["usd"] == figures.month_usd.amount and month["standing"] == "near budget"
    assert run_balance(demo, as_json=True) == 0
    runway = json.loads(capsys.readouterr().out)["runway"]
    assert runway["dailyUsd"] == figures.rate.usd.amount
    assert runway["rateBasis"] == "last 7 full days"
    until = date.fromisoformat(runway["until"])
    assert runway_note == f"to {until:%b %d} at {average}/day"
    assert run_balance(demo, as_json=False) == 0
    assert f"at {average}/day (last 7 full days)" in capsys.readouterr().out
    source = MetricsSource(demo, Period.lookback(7), budgets)
    source.fetch_now()
    assert source.data is not None
    metered = source.data.figures
    assert metered.forecast == figures.forecast and metered.rate == figures.rate
    assert [s.day for s in metered.spikes] == [s.day for s in figures.spikes]
