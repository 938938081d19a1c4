"""History (4) while its queries run: a query held back says so on screen until its page
arrives; a newer keystroke stops the older query, and an older answer that arrives late is
never shown. Queries are held by a gate the test opens, never by timing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from tests.harness import demo_app, settle
from tests.ui_helpers import wait_until
from venice_tui.archive.db import QueryStopped
from venice_tui.ui.screens.history import HistoryScreen
from venice_tui.ui.widgets.lazy_grid import LazyGrid


async def open_history(pilot, app) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


class Gate:
    """Holds the archive reads of the History queries whose filter is `held` until `open`:
    before the read (`after=False`) or with its answer in hand (`after=True`)."""

    def __init__(self, archive: Any, held: str, after: bool = False) -> None:
        self._read = archive.read
        self.held, self.after = held, after
        self.released = threading.Event()
        self.waiting = threading.Event()
        self.outcomes: list[str] = []

    def read(self, work: Callable[[Any], Any], wanted: Callable[[], bool]) -> Any:
        view = getattr(work, "keywords", {}).get("view")
        if view is None or view.text != self.held:
            return self._read(work, wanted)
        if not self.after:
            self.waiting.set()
            self.released.wait(30)
        try:
            answer = self._read(work, wanted)
        except QueryStopped:
            self.outcomes.append("stopped")
            raise
        if self.after:
            self.waiting.set()
            self.released.wait(30)
        self.outcomes.append("answered")
        return answer


def busy_text(screen: HistoryScreen) -> str | None:
    """The word of a query under way, as the summary says it."""
    said = str(screen.query_one("#history-summary", Static).render())
    for word in ("filtering", "sorting", "reading"):
        if word in said:
            return word
    return None


async def test_a_slow_query_says_filtering_until_its_page_arrives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        assert busy_text(screen) is None
        gate = Gate(app.archive, "glm")
        monkeypatch.setattr(app.archive, "read", gate.read)
        await pilot.press("slash", *"glm")
        await wait_until(pilot, gate.waiting.is_set)
        await wait_until(pilot, lambda: busy_text(screen) is not None)
        assert "filtering" in (busy_text(screen) or "")
        assert not screen.is_up_to_date
        gate.released.set()
        await wait_until(pilot, lambda: busy_text(screen) is None)
        await settle(pilot)
        assert screen.view.text == "glm" and gate.outcomes == ["answered"]
        grid = screen.query_one(LazyGrid)
        assert grid.visible_count > 0
        assert all("glm" in r.cells[1] or "glm" in r.cells[7] for r in grid.rows[:20])


async def test_a_sort_and_a_day_step_say_what_they_do(monkeypatch: pytest.MonkeyPatch) -> None:
    app = demo_app(ledger_days=3)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        gate = Gate(app.archive, "")
        monkeypatch.setattr(app.archive, "read", gate.read)
        await pilot.press("s")
        await wait_until(pilot, lambda: "sorting" in (busy_text(screen) or ""))
        gate.released.set()
        await wait_until(pilot, lambda: busy_text(screen) is None and screen.is_up_to_date)
        gate.released.clear()
        gate.waiting.clear()
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "reading" in (busy_text(screen) or ""))
        gate.released.set()
        await wait_until(pilot, lambda: busy_text(screen) is None and screen.is_up_to_date)


async def test_a_newer_keystroke_stops_the_older_query(monkeypatch: pytest.MonkeyPatch) -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        gate = Gate(app.archive, "g")
        monkeypatch.setattr(app.archive, "read", gate.read)
        await pilot.press("slash", "g")
        await wait_until(pilot, gate.waiting.is_set)
        await pilot.press(*"lm")
        await wait_until(pilot, lambda: screen.view.text == "glm" and screen.is_up_to_date)
        gate.released.set()
        await wait_until(pilot, lambda: bool(gate.outcomes))
        assert gate.outcomes == ["stopped"]  # it never read a row
        await settle(pilot)
        assert screen.page is not None and screen.page.view.text == "glm"


async def test_an_older_answer_arriving_late_is_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_history(pilot, app)
        gate = Gate(app.archive, "g", after=True)
        monkeypatch.setattr(app.archive, "read", gate.read)
        await pilot.press("slash", "g")
        await wait_until(pilot, gate.waiting.is_set)  # the answer for "g" is read, held back
        await pilot.press(*"lm")
        await wait_until(pilot, lambda: screen.view.text == "glm" and screen.is_up_to_date)
        shown = screen.page
        gate.released.set()
        await wait_until(pilot, lambda: gate.outcomes == ["answered"])
        await settle(pilot)
        assert screen.page is shown and screen.view.text == "glm"
        assert "rows matching 'glm'" in str(screen.query_one("#history-totals", Static).render())
