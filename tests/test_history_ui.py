"""History (4) through Pilot: the ledger from an archive in memory, paged in as it scrolls,
filtered and sorted in SQL, the day and peak-hour scopes, the drill from the Overview's spike,
reconciliation on screen, and a sync started from the dashboard."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from tests.harness import FIXED_NOW, demo_app, settle
from tests.ui_helpers import wait_until
from venice_tui.ui.screens.history import HistoryScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.lazy_grid import LazyGrid

TODAY = FIXED_NOW.date()


def text_of(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).render())


async def open_history(pilot, app) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_the_last_24_hours_of_the_ledger_page_in_and_add_up() -> None:
    app = demo_app(ledger_days=3)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        grid = screen.query_one(LazyGrid)
        count = grid.visible_count
        assert 900 < count < 2000  # a day of the standard demo account
        assert "rows" in text_of(app, "#history-totals")
        assert text_of(app, "#history-totals").startswith(f"{count:,} rows")
        times = [r.cells[0] for r in grid.rows[:20]]
        assert times == sorted(times, reverse=True) and "…" not in times  # newest first, loaded
        await pilot.press("end")
        await wait_until(pilot, lambda: "…" not in grid.rows[count - 1].cells[0])
        assert grid.rows[count - 1].cells[0] < times[-1]
        chart = screen.query_one("#hourly-chart", ChartView)
        assert chart.spec is not None and len(chart.spec.labels) == 24
        assert "peak" in chart.spec.title
        summary = text_of(app, "#history-summary")
        assert "Ledger" in summary and "rows" in summary and "the last 24 hours" in summary


async def test_a_filter_and_a_sort_are_answered_by_sql_and_the_totals_follow() -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        grid = screen.query_one(LazyGrid)
        everything = grid.visible_count
        await pilot.press("slash", *"glm-5-1", "enter")
        await wait_until(pilot, lambda: screen.view.text == "glm-5-1" and screen.is_up_to_date)
        await settle(pilot)
        assert 0 < grid.visible_count < everything
        assert all("glm-5-1" in r.cells[1] for r in grid.rows[:50])
        assert "rows matching 'glm-5-1'" in text_of(app, "#history-totals")
        await pilot.press("s", "s", "s")  # time → SKU → paid in → charged
        await wait_until(pilot, lambda: screen.view.sort == "charged")
        await settle(pilot)
        amounts = [float(r.cells[3].replace(",", "")) for r in grid.rows[:30]]
        assert amounts == sorted(amounts, reverse=True)


async def test_days_and_the_peak_hour_narrow_the_table() -> None:
    app = demo_app(ledger_days=4)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.scope.day == TODAY - timedelta(days=1))
        await settle(pilot)
        grid = screen.query_one(LazyGrid)
        day_rows = grid.visible_count
        day = (TODAY - timedelta(days=1)).isoformat()
        assert all(r.cells[0].startswith(day) for r in grid.rows[:20])
        assert "(UTC)" in text_of(app, "#history-summary")
        await pilot.press("H")
        await wait_until(pilot, lambda: screen.scope.hour is not None)
        await settle(pilot)
        assert 0 < grid.visible_count < day_rows
        hour = f"{day} {screen.scope.hour:02d}:"
        assert all(r.cells[0].startswith(hour) for r in grid.rows[:20])
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.scope.day is None)


async def test_h_on_the_overview_opens_history_at_the_latest_spike() -> None:
    app = demo_app(ledger_days=5)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await wait_until(pilot, lambda: screen.scope.day == TODAY - timedelta(days=3))
        await settle(pilot)
        assert "Sun Nov 22 2026" in text_of(app, "#history-summary")


async def test_reconciliation_shows_on_screen() -> None:
    app = demo_app(ledger_days=5)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_history(pilot, app)
        await wait_until(pilot, lambda: bool(app.ledger.checks))
        await settle(pilot)
        assert "matches usage-analytics on" in text_of(app, "#history-summary")


async def test_y_syncs_the_ledger_from_the_dashboard() -> None:
    app = demo_app(ledger_days=0)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        assert screen.query_one(LazyGrid).visible_count == 0
        assert "no rows yet" in text_of(app, "#history-summary")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.ledger.rows is not None and app.ledger.rows > 0, 60)
        await wait_until(pilot, lambda: screen.query_one(LazyGrid).visible_count > 0)
        assert app.ledger.error is None


async def test_a_live_account_syncs_its_ledger_over_http_into_its_archive(
    demo_server,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from venice_tui.api.period import Period
    from venice_tui.core.connection import Connection
    from venice_tui.core.settings import Settings
    from venice_tui.ui.run import build_app

    monkeypatch.setenv("VENICE_API_KEY", "sk-admin-history-live")
    settings = Settings(
        base_url=demo_server.base_url, chosen_base_url=demo_server.base_url, profile="default"
    )
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    async with app.run_test(size=(130, 40)) as pilot:
        # A new key's archive opens once the key list of its first refresh has placed it.
        await wait_until(pilot, lambda: app.store.snapshot is not None and app.archive is not None)
        assert app.archive is not None and app.archive.on_disk  # the profile's own archive
        screen = await open_history(pilot, app)
        assert "no rows yet" in text_of(app, "#history-summary")
        await pilot.press("y")
        await wait_until(pilot, lambda: bool(app.ledger.rows), 60)
        await wait_until(pilot, lambda: screen.query_one(LazyGrid).visible_count > 0)
        assert app.ledger.error is None and app.ledger.checks  # reconciled with the usage
        assert all(check.matches for check in app.ledger.checks)
