"""NO_COLOR with every built-in theme (issue 20.9): every word on the Overview stands apart from
its background, whichever theme was picked after start (an ANSI theme remembered from a palette
choice drew black on black), and the words that say a budget is passed survive 80x24.

The check reads what the app hands the terminal: for each cell holding a letter or digit, the
foreground and background after every line filter. Both the terminal's own (`default`, what
NO_COLOR means for an ANSI theme) is fine; two RGB greys must stand 3:1 apart (WCAG's contrast
for large text; the themes' own dim text sits about there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rich.color import Color, ColorType
from textual.pilot import Pilot

from tests.harness import demo_app, settle
from venice_tui.core.budgets import Budgets, Limits
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.widgets.budget_bar import BudgetBar
from venice_tui.ui.widgets.kpi import KpiTile

MIN_CONTRAST = 3.0


@pytest.fixture
def no_color(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    yield


def _luminance(color: Color) -> float:
    assert color.triplet is not None

    def linear(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.triplet
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _is_default(color: Color | None) -> bool:
    return color is None or color.type is ColorType.DEFAULT


def unreadable_words(app: VeniceApp) -> list[str]:
    """Every run of text with a letter or digit whose colours do not stand apart, described."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    found = []
    for line in update.strips:
        for strip in line:
            for text, style, control in strip:
                if control or style is None or not any(c.isalnum() for c in text):
                    continue
                fg, bg = style.color, style.bgcolor
                if style.reverse:
                    fg, bg = bg, fg
                if _is_default(fg) and _is_default(bg):
                    continue  # the terminal's own colours
                if _is_default(fg) or _is_default(bg) or fg == bg:
                    found.append(f"{text.strip()!r}: {fg} on {bg}")
                    continue
                assert fg is not None and bg is not None
                high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
                ratio = (high + 0.05) / (low + 0.05)
                if ratio < MIN_CONTRAST:
                    found.append(f"{text.strip()!r}: {fg.name} on {bg.name} ({ratio:.2f}:1)")
    return found


async def test_every_word_of_the_overview_is_readable_under_no_color_in_every_theme(
    no_color: None,
) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.no_color
        themes = sorted(app.available_themes)
        assert {"ansi-dark", "ansi-light", "textual-dark", "textual-light"} <= set(themes)
        problems = {}
        for theme in themes:
            app.theme = theme  # picked after start, as a remembered choice is
            await settle(pilot)
            if found := unreadable_words(app):
                problems[theme] = found[:5]
        assert problems == {}


def over_budget_app() -> VeniceApp:
    """The demo (this month $260.12 so far, today $2.35) against budgets it has passed."""
    return demo_app(budgets=Budgets(Limits(monthly_usd=250.0, daily_usd=2.0)))


async def test_the_words_of_a_passed_budget_survive_80x24(no_color: None) -> None:
    app = over_budget_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = str(app.screen.query_one(BudgetBar).render())
        assert line.endswith(" ✗ over budget"), line
        assert "$260 of $250 (104%)" in line  # the numbers gave way, not the words
        assert len(line) <= app.screen.query_one(BudgetBar).size.width
        for tile_id in ("kpi-today", "kpi-projection"):
            tile = app.screen.query_one(f"#{tile_id}", KpiTile)
            assert not tile.note_shows  # a short terminal shows only the value...
            assert tile.border_subtitle == "✗ over"  # ...and the words in the border
        assert unreadable_words(app) == []


async def test_where_the_note_shows_it_says_it_alone() -> None:
    app = over_budget_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        tile = app.screen.query_one("#kpi-projection", KpiTile)
        assert tile.note_shows and "of budget" in tile.note
        assert not tile.border_subtitle
        line = str(app.screen.query_one(BudgetBar).render())
        assert "$260.12 of $250.00 (104%)" in line and line.endswith(" ✗ over budget")


def themed(theme: str) -> Any:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        pilot.app.theme = theme
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light"])
def test_ansi_themes_under_no_color(snap_compare, no_color: None, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=themed(theme))
