"""The dashboard through Pilot under the "Trust first" reproductions: hostile names, keys typed at
once, nav clicks, worker failures, a period change while a request hangs, the forecast, the
custom range, small terminals and what the help and status line do while open."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from textual import events
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static

from tests.harness import FIXED_NOW, demo_app, settle
from tests.ui_helpers import gated_app, status_text, wait_until
from venice_tui.api.period import Period
from venice_tui.archive.ledger import sums_between
from venice_tui.core import format as fmt
from venice_tui.core.store import Source
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder
from venice_tui.ui.screens.help import HelpScreen
from venice_tui.ui.screens.period import PeriodScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import DataGrid
from venice_tui.ui.widgets.kpi import KpiTile
from venice_tui.ui.widgets.nav import NavBar


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Every character the visible widgets draw, as segments (what goes to the terminal)."""
    out = []
    for widget in app.screen.query(Widget):
        if not widget.display or not widget.region.area:
            continue
        width, height = widget.outer_size
        for strip in widget.render_lines(Region(0, 0, width, height)):
            out.extend(segment.text for segment in strip)
        out.append("\n")
    return "".join(out)


def unsafe(text: str) -> set[str]:
    return {repr(c) for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F}


async def press_at_once(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as a fast typist sends them: all queued before the app handles the first."""
    names = {"/": "slash", " ": "space"}
    for key in keys:
        app.post_message(events.Key(names.get(key, key), key if len(key) == 1 else None))


async def test_hostile_names_are_shown_on_every_screen_never_obeyed() -> None:
    app = demo_app(account=DemoAccount.hostile())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        seen = ""
        for key in ("1", "2", "3", "question_mark"):
            await pilot.press(key)
            await settle(pilot)
            text = screen_text(app)
            assert unsafe(text) == set(), key
            seen += text
            if key == "question_mark":
                await pilot.press("escape")
        assert "\\x1b]0;PWNED" in seen and "llama-3 [/beta" in seen and "ops [/team" in seen
        await pilot.press("2")
        grid = app.screen.query_one(DataGrid)
        await pilot.press("slash", *"[/")  # markup typed into the filter is just text
        assert grid.filter_text == "[/" and grid.visible_count >= 1


async def test_two_then_q_at_once_quits() -> None:
    app = demo_app(Period.lookback(90), account=DemoAccount.big())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press_at_once(app, "2", "q")
        await wait_until(pilot, lambda: app._exit)
    assert app.return_code in (0, None)


async def test_three_slash_text_at_once_fills_the_filter_and_runs_no_command() -> None:
    responder = DemoResponder(DemoAccount.big(), now=lambda: FIXED_NOW)
    app = demo_app(Period.lookback(90), responder=responder)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        requests = responder.requests
        await press_at_once(app, "3", "/", *"service-01")
        await wait_until(pilot, lambda: app.current_mode == "keys")
        box = app.screen.query_one("#filter", Input)
        grid = app.screen.query_one(DataGrid)
        # The field holds every key at once; the grid follows on the field's Changed message.
        await wait_until(pilot, lambda: grid.filter_text == "service-01")
        assert box.has_focus and box.value == "service-01"
        assert grid.visible_count == 100  # service-0100 … service-0199
        # `s`, `r`, `c` and `e` went into the filter, not to sort, refresh or currency
        assert app.currency == "both" and responder.requests == requests
        assert grid.columns[grid.sort_index].key == "share"


async def test_nav_bar_clicks_switch_screens() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for title, mode in (("Models", "models"), ("API Keys", "keys"), ("Overview", "overview")):
            nav = app.screen.query_one(NavBar)
            text = "".join(s.text for s in nav.render_lines(Region(0, 0, nav.size.width, 1)))
            await pilot.click(NavBar, offset=(text.index(title) + 1, 0))
            await wait_until(pilot, lambda mode=mode: app.current_mode == mode)


async def test_an_unexpected_failure_in_a_fetch_becomes_an_honest_status() -> None:
    app = demo_app(Period.lookback(7))

    async def broken(period: Period):  # type: ignore[no-untyped-def]
        raise ValueError("could not convert string to float: '²'")

    app.store.attach(broken, Source.DEMO)  # a bug anywhere below the store
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.status.error is not None)
        text = status_text(app)
        assert "Fetching usage failed unexpectedly (ValueError" in text
        await wait_until(pilot, lambda: app.plan.next_at is not None)  # and it tries again
        assert "retry in" in status_text(app)


async def test_a_period_change_while_a_request_hangs_fetches_at_once() -> None:
    app, transport, _ = gated_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        transport.gate.clear()
        app._last_manual = float("-inf")
        await pilot.press("r")
        await wait_until(pilot, lambda: transport.in_flight == 1)
        await pilot.press("d", "up", "enter")  # 30d -> 7d
        await wait_until(pilot, lambda: app.store.period == Period.lookback(7))
        await wait_until(pilot, lambda: transport.requests == 3)  # no wait for the next cycle
        transport.gate.set()
        await wait_until(pilot, lambda: app.store.snapshot.period == Period.lookback(7))  # type: ignore[union-attr]


async def test_the_forecast_is_this_months_whatever_the_period_shown() -> None:
    """The forecast is the account's (this month), the same for a past range as for 7 days."""
    shown = {}
    for period in (Period.between(date(2026, 10, 1), date(2026, 10, 10)), Period.lookback(7)):
        app = demo_app(period)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            tile = app.screen.query_one("#kpi-projection", KpiTile)
            month = app.store.account.month_days(FIXED_NOW.date())
            assert month is not None and len(month) == 25
            assert tile.border_title == "Nov forecast"
            # the demo's $400 monthly budget: the forecast passes the 80% warning line
            assert tile.has_class("-warning")
            forecast = app.store.figures.forecast
            assert forecast is not None and forecast.usd.amount > sum(r.usd for r in month)
            assert tile.value == f"${forecast.usd.amount:,.2f}"
            assert tile.note == f"⚠ {int(forecast.usd.amount / 4)}% of budget"
            shown[period] = (tile.value, tile.note)
    assert len(set(shown.values())) == 1


async def test_one_day_draws_one_narrow_bar_and_explains_the_missing_line() -> None:
    app = demo_app(Period.lookback(1))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        cumulative = app.screen.query_one("#cumulative-chart", ChartView)
        assert cumulative.spec is None and "One day" in cumulative.empty_text
        # the rate is the account's last 7 full days, at 1d as at any period
        rate = app.store.figures.rate
        assert rate is not None and rate.basis == "last 7 full days"
        average = app.screen.query_one("#kpi-average", KpiTile)
        assert average.value == f"${rate.usd.amount:,.2f}"


async def test_the_custom_range_is_prefilled_in_the_dashboards_words() -> None:
    app = demo_app(Period.lookback(30))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, PeriodScreen)
        start, end = screen.query_one("#start", Input), screen.query_one("#end", Input)
        assert (start.value, end.value) == ("2026-10-27", "2026-11-25")
        await pilot.pause()
        shown = screen_text(app)
        assert "2026-10-27" in shown and "2026-11-25" in shown  # whole dates, not 026-10-27
        end.value = "2026-12-01"
        await pilot.press("end", "enter")  # Custom range… (the last option), then the start field
        await pilot.press("enter", "enter")
        error = str(screen.query_one("#period-error", Static).render())
        assert "end 2026-12-01 is in the future" in error and "--" not in error


async def test_key_detail_shows_at_100x30_and_lines_have_a_legend_at_80x24() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        detail = app.screen.query_one("#detail", Static)
        assert detail.region.area and "Production API" in str(detail.render())
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        chart = app.screen.query_one("#series-chart", ChartView)
        if chart.region.area:
            lines = chart.render_lines(Region(0, 0, chart.size.width, chart.size.height))
            legend = next(line.text for line in lines if "Daily spend" in line.text)
            assert "Production API" in legend


async def test_the_status_clock_runs_while_the_help_is_open() -> None:
    moments = [FIXED_NOW]
    app = demo_app()
    app.now = lambda: moments[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        before = status_text(app)
        moments[0] = datetime(2026, 11, 25, 15, 32, tzinfo=UTC)
        app._advance_tick()
        await wait_until(pilot, lambda: status_text(app) != before)
        assert "2 min ago" in status_text(app)


async def test_j_k_home_end_move_in_the_table() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        keys = [row.key for row in grid.rows]
        await pilot.press("j", "j", "k")
        assert grid.selected_key == keys[1]
        await pilot.press("end")
        assert grid.selected_key == keys[-1]
        await pilot.press("home")
        assert grid.selected_key == keys[0]
        await pilot.press("greater_than_sign")  # sort by the column right of Share: wraps to Model
        assert grid.columns[grid.sort_index].key == "name"


async def test_the_palette_offers_filter_and_sort_on_table_screens() -> None:
    from venice_tui.ui.table_commands import TableCommands

    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        provider = TableCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert "Filter the table" in titles and "Sort by USD" in titles
        hits = [hit async for hit in provider.search("sort by diem")]
        assert hits
        hit = hits[0]
        await asyncio.to_thread(lambda: None)
        result = hit.command()
        if asyncio.iscoroutine(result):
            await result
        grid = app.screen.query_one(DataGrid)
        assert grid.columns[grid.sort_index].key == "diem"


async def test_a_burst_of_keys_into_text_fields_takes_effect_in_the_order_typed() -> None:
    """Over SSH keys arrive together: the clear before the digits, the tab before the next
    field's text and the enter after all of it."""
    app = demo_app(Period.lookback(30))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press_at_once(
            app,
            "d",
            "end",
            "enter",  # Custom range… (the last option): the start field
            "ctrl+u",
            *"2026-11-01",
            "tab",
            "ctrl+u",
            *"2026-11-10",
            "home",
            "end",
            "enter",
        )
        await wait_until(pilot, lambda: app.store.period.label != Period.lookback(30).label)
        assert (app.store.period.start, app.store.period.end) == (
            date(2026, 11, 1),
            date(2026, 11, 10),
        )
        assert not isinstance(app.screen, PeriodScreen)


async def test_the_period_is_compared_like_for_like() -> None:
    """A running period against the one before cut at the same hour (from the ledger); without
    the ledger no percentage is made up; a past range against the whole range before it."""
    app = demo_app(Period.lookback(30))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.store.account.previous.value
        assert before is not None and before.period.label == "2026-09-27 → 2026-10-26"
        assert before.tail is None  # no ledger to cut Oct 26 at 15:30 with
        tile = app.screen.query_one("#kpi-usd", KpiTile)
        assert tile.note == f"prev 30d {fmt.usd(before.totals.usd)}"
    app = demo_app(Period.between(date(2026, 11, 1), date(2026, 11, 10)))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.store.account.previous.value
        shown = app.store.snapshot
        assert before is not None and shown is not None
        tile = app.screen.query_one("#kpi-usd", KpiTile)
        now = shown.analytics.totals.usd
        assert tile.note == f"{fmt.change(now, before.totals.usd)} vs prev 10d"
    app = demo_app(Period.lookback(1), ledger_days=3)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.store.account.previous.value
        shown = app.store.snapshot
        assert before is not None and shown is not None and before.tail is not None
        assert before.cut == FIXED_NOW
        # yesterday up to 15:30, as the ledger has it, is what today so far is set against
        archive = app.archive
        assert archive is not None
        start = int(datetime(2026, 11, 24, tzinfo=UTC).timestamp() * 1000)
        cut = int(datetime(2026, 11, 24, 15, 30, tzinfo=UTC).timestamp() * 1000)
        until_cut = archive.run(lambda db: sums_between(db, start, cut))
        assert until_cut is not None
        like = before.totals.usd - before.tail.usd
        assert abs(like - until_cut[0]) < 0.01
        now = shown.analytics.totals.usd
        tile = app.screen.query_one("#kpi-usd", KpiTile)
        assert 0 < like < before.totals.usd  # 15.5 hours of yesterday, not all of it
        assert tile.note == f"{fmt.change(now, like)} vs prev 1d"
