"""The filter bar History composes like Models and API Keys: typed at once after `4`, the
letters land in it and the archive is asked with them; Enter goes back to the table; Esc clears
it and every row of the day comes back."""

from __future__ import annotations

from tests.harness import demo_app, settle
from tests.test_trust_ui import press_at_once
from tests.ui_helpers import wait_until
from venice_tui.ui.screens.history import HistoryScreen
from venice_tui.ui.widgets.filter_bar import FilterBar
from venice_tui.ui.widgets.lazy_grid import LazyGrid


async def test_history_takes_a_filter_typed_at_once_and_esc_clears_it() -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await press_at_once(app, "4", "/", *"flux")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        bar = screen.query_one(FilterBar)
        await wait_until(pilot, lambda: screen.view.text == "flux" and screen.is_up_to_date)
        await settle(pilot)
        grid = screen.query_one(LazyGrid)
        assert bar.has_focus and bar.value == "flux" and bar.display
        filtered = grid.visible_count
        assert filtered > 0 and all("flux" in r.cells[1] for r in grid.rows[:20])
        await pilot.press("enter")
        assert grid.has_focus and bar.display  # the filter stays shown while it holds text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.view.text == "" and screen.is_up_to_date)
        await settle(pilot)
        assert not bar.display and bar.value == "" and grid.has_focus
        assert grid.visible_count > filtered
