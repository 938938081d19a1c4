"""The dashboard through Pilot: navigation, refresh, pause, period, filter, sort and every state."""

from __future__ import annotations

from textual.widgets import Static

from tests.harness import settle
from tests.ui_helpers import gated_app, status_text, visible_state, wait_until
from venice_tui.api.period import Period
from venice_tui.ui.screens.help import HelpScreen
from venice_tui.ui.screens.period import PeriodScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import DataGrid
from venice_tui.ui.widgets.kpi import KpiTile


def static_text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).render())


def rendered_text(widget) -> str:  # type: ignore[no-untyped-def]
    """What a widget shows, as the lines a person reads."""
    from textual.geometry import Region

    width, height = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def test_navigation_between_the_three_screens() -> None:
    app, _, _ = gated_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.current_mode == "overview" and app.screen.TITLE == "Overview"
        total = app.store.snapshot.analytics.totals.usd  # type: ignore[union-attr]
        assert app.screen.query_one("#kpi-usd", KpiTile).value == f"${total:,.2f}"
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "models" and app.screen.TITLE == "Models"
        table = app.screen.query_one(DataGrid)
        assert table.visible_count == len(app.store.snapshot.analytics.models)  # type: ignore[union-attr]
        assert table.selected_key == "GLM 5.1"
        assert "GLM 5.1" in static_text(app, "#detail") and "Cache Read" in static_text(
            app, "#detail"
        )
        await pilot.press("down")
        assert table.selected_key == "Qwen 3 Coder 480B"
        assert "Qwen 3 Coder 480B" in static_text(app, "#detail")
        await pilot.press("3")
        await settle(pilot)
        assert app.current_mode == "keys" and app.screen.TITLE == "API Keys"
        keys = app.screen.query_one(DataGrid)
        # every key with usage, and the account's keys without (the spare, the admin key)
        used = len(app.store.snapshot.analytics.keys)  # type: ignore[union-attr]
        assert keys.visible_count == used + 2
        assert "web-app" in [row.key for row in keys.rows]
        await pilot.press("1")
        assert app.current_mode == "overview"


async def test_refresh_now_and_never_two_requests_at_once() -> None:
    app, transport, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert transport.requests == 1
        transport.gate.clear()
        await pilot.press("r")
        await wait_until(pilot, lambda: transport.in_flight == 1)
        assert app.status.loading and "loading" in status_text(app)
        for _ in range(5):
            await pilot.press("r")  # each is handled when press returns: none starts a request
        assert transport.requests == 2 and transport.max_in_flight == 1
        transport.gate.set()
        await settle(pilot)
        assert not app.status.loading
        assert app.seconds_to_next_refresh() == 60


async def test_pause_stops_and_resume_restarts_live_refresh() -> None:
    app, transport, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("p")
        assert app.plan.paused and app.seconds_to_next_refresh() is None
        assert "paused" in status_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert not app.plan.paused and transport.requests == 2
        assert "next in 60 s" in status_text(app)


async def test_refresh_zero_turns_live_refresh_off() -> None:
    app, _, _ = gated_app(refresh=0)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.seconds_to_next_refresh() is None
        assert "auto-refresh off" in status_text(app)


async def test_period_picker_presets_refetch() -> None:
    app, transport, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, PeriodScreen)
        await pilot.press("up", "enter")  # from 30d to 7d
        await settle(pilot)
        assert app.store.period == Period.lookback(7)
        assert len(app.store.snapshot.analytics.daily) == 7  # type: ignore[union-attr]
        assert transport.requests == 2  # 30d, then 7d (this month so far is not counted)
        assert "7d" in status_text(app)


async def test_period_picker_validates_a_custom_range_inline() -> None:
    app, _, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("d", "end", "enter")  # the last option: Custom range
        await pilot.press(*"2026-11-10", "enter", *"2026-11-01", "enter")
        assert isinstance(app.screen, PeriodScreen)
        assert "is after the end" in str(app.screen.query_one("#period-error", Static).render())
        end = app.screen.query_one("#end")
        end.value = "2026-11-20"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.period.label == "2026-11-10 → 2026-11-20"
        assert len(app.store.snapshot.analytics.daily) == 11  # type: ignore[union-attr]


async def test_escape_leaves_the_period_unchanged() -> None:
    app, transport, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("d", "escape")
        assert app.store.period == Period.lookback(30) and transport.requests == 1


async def test_first_load_shows_a_loading_indicator_and_keys_still_answer() -> None:
    app, transport, _ = gated_app()
    transport.gate.clear()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: transport.in_flight == 1)
        assert visible_state(app) == "state-loading"
        assert "Fetching usage for 30d" in static_text(app, "#loading-message")
        await pilot.press("2")
        assert app.current_mode == "models" and visible_state(app) == "state-loading"
        transport.gate.set()
        await settle(pilot)
        assert visible_state(app) == "state-content"


async def test_empty_account_says_so_with_the_period() -> None:
    app, _, responder = gated_app()
    responder.set_fault("empty")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert visible_state(app) == "state-empty"
        text = static_text(app, "#state-empty")
        assert "No usage in this period" in text and "30d" in text


async def test_error_before_any_data_is_shown_in_the_body() -> None:
    app, _, responder = gated_app()
    responder.set_fault("401")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert visible_state(app) == "state-error"
        assert "ADMIN key" in static_text(app, "#state-error")
        await wait_until(pilot, lambda: "Retrying in 2 min" in static_text(app, "#state-error"))
        assert "HTTP 401" in status_text(app)


async def test_a_failed_refresh_keeps_the_data_and_recovery_clears_the_error() -> None:
    app, _, responder = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        shown = app.store.snapshot
        responder.set_fault("504")
        await pilot.press("r")
        await settle(pilot)
        assert visible_state(app) == "state-content" and app.store.snapshot is shown
        text = status_text(app)
        assert "press d for a shorter period, e.g. 7d" in text and "retry in 2 min" in text
        responder.set_fault(None)
        app._last_manual = float("-inf")
        await pilot.press("r")
        await settle(pilot)
        assert "✗" not in status_text(app) and app.store.snapshot is not shown


async def test_help_lists_every_key_and_the_cache_note() -> None:
    app, _, _ = gated_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = rendered_text(app.screen.query_one("#help-text"))
        for key in (
            "1 ",
            "2 ",
            "3 ",
            "r ",
            "p ",
            "d ",
            "c ",
            "/ ",
            "q ",
            "7-day average",
            "Forecast",
        ):
            assert key in text
        assert "caches usage analytics for 10 minutes" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_filter_and_sort_the_models_table() -> None:
    app, _, _ = gated_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(DataGrid)
        await pilot.press("slash", *"qwen")
        assert table.visible_count == 2
        await pilot.press("enter")
        assert table.has_focus
        await pilot.press("escape")
        assert table.visible_count == 12
        await pilot.press("s")  # from Share to Model (name, A→Z)
        assert table.selected_key is not None
        first = table.rows[0].cells[0]
        assert first == "DeepSeek V3.2"
        await pilot.press("S")
        assert table.rows[0].cells[0] == "Whisper Large V3"


async def test_c_cycles_usd_diem_and_both() -> None:
    app, _, _ = gated_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one("#daily-chart", ChartView)
        assert chart.spec is not None and chart.spec.kind == "stacked"
        await pilot.press("c")
        assert chart.spec.kind == "bar" and chart.spec.series[0].name == "USD"
        await pilot.press("c")
        assert chart.spec.series[0].name == "DIEM"
        await pilot.press("c")
        assert chart.spec.kind == "stacked"


async def test_every_action_is_in_the_command_palette() -> None:
    app, _, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {
            "Overview",
            "Models",
            "API Keys",
            "Refresh now",
            "Pause live refresh",
            "Change period",
            "Charts: next currency",
            "Help",
        } <= titles


async def test_q_quits_cleanly() -> None:
    app, _, _ = gated_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_80x24_keeps_the_totals_and_hides_what_repeats() -> None:
    app, _, _ = gated_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        assert (
            not app.screen.query_one("#cumulative-chart").display
            or not app.screen.query_one("#cumulative-chart").region.area
        )
        assert app.screen.query_one("#kpi-usd", KpiTile).border_title == "USD"


async def test_markup_in_names_is_shown_literally() -> None:
    from datetime import date

    from textual.geometry import Region

    from tests.harness import FIXED_NOW, opened_app
    from tests.payloads import encode, live_variant
    from venice_tui.api.decoder import decode_usage
    from venice_tui.core.store import Source, UsageStore
    from venice_tui.demo.connection import DemoConnection

    payload = live_variant()
    payload["byKey"][0]["description"] = "[red]evil[/red] key"
    payload["byModel"][0]["modelName"] = "[b]Model[/b]"
    data = decode_usage(encode(payload), Period.lookback(3), date(2026, 11, 25))

    async def fetch(period: Period):  # type: ignore[no-untyped-def]
        return data

    store = UsageStore(fetch, Period.lookback(3), Source.DEMO, clock=lambda: FIXED_NOW)
    app = opened_app(store, 0, DemoConnection.standard(), None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        top_keys = app.screen.query_one("#top-keys", Static)
        width, height = top_keys.size
        rendered = "".join(
            strip.text for strip in top_keys.render_lines(Region(0, 0, width, height))
        )
        assert "[red]evil[/red]" in rendered
        await pilot.press("3")
        await settle(pilot)
        assert "[red]evil[/red] key" in static_text(app, "#detail")
        await pilot.press("2")
        await settle(pilot)
        assert "[b]Model[/b]" in static_text(app, "#detail")
