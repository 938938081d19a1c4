"""Snapshot tests of each screen on demo data with a frozen clock (pytest-textual-snapshot).

Update after a deliberate visual change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.harness import demo_app, settle


def go_to(key: str) -> Callable[[Pilot[object]], object]:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("key", ["1", "2", "3"], ids=["overview", "models", "keys"])
def test_screen(snap_compare, key: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(), terminal_size=size, run_before=go_to(key))


def test_help(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=go_to("question_mark"))


def test_period_picker(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=go_to("d"))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_history(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = demo_app(ledger_days=3)
    assert snap_compare(app, terminal_size=size, run_before=go_to("4"))
