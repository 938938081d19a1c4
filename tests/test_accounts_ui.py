"""The Accounts screen (`0`) on the demo fleet, through the real clients and a fake monotonic
clock: one row per profile with the figures of its own Overview, Enter switching the dashboard
in place, one account failing or refused while the others show, keys typed while it opens."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.harness import (
    FIXED_NOW,
    FakeMonotonic,
    demo_app,
    fill_fleet,
    fill_fleet_again,
    fleet_app,
    settle,
)
from tests.ui_helpers import wait_until
from venice_tui.demo.responder import DemoResponder
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.screens.accounts import AccountsScreen
from venice_tui.ui.widgets.kpi import KpiTile

TODAY, BALANCE, RUNWAY, ALERT, DATA = 2, 6, 8, 9, 10
#: The demo fleet's own ledgers sync in the background once a profile is switched to.
LEDGER = ("ledger",)


def rows(app: VeniceApp) -> dict[str, tuple[str, ...]]:
    screen = app.screen
    assert isinstance(screen, AccountsScreen)
    return {row.key: row.cells for row in screen.grid.rows}


def overview_cells(app: VeniceApp) -> tuple[str, str, str]:
    tile = app.screen.query_one
    return (
        tile("#kpi-today", KpiTile).value,
        tile("#kpi-balance", KpiTile).value,
        tile("#kpi-runway", KpiTile).value,
    )


async def select(pilot: Pilot[Any], profile: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, AccountsScreen)
    await pilot.press("home")
    for _ in range([r.key for r in screen.grid.rows].index(profile)):
        await pilot.press("down")
    assert screen.grid.selected_key == profile


async def test_each_row_is_its_profiles_own_overview_and_enter_switches_to_it() -> None:
    clock = FakeMonotonic()
    app = fleet_app(monotonic=clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        on_screen = overview_cells(app)
        await pilot.press("0")
        await fill_fleet(pilot, clock)
        seen = rows(app)
        assert list(seen) == ["demo-client", "demo-work", "demo-staging"]  # worst first
        assert seen["demo-client"][ALERT].startswith("✗ Client chatbot is at its Venice limit")
        assert "forecast near budget" in seen["demo-work"][ALERT]
        assert seen["demo-staging"][ALERT] == "ok"
        assert seen["demo-work"][DATA].startswith("on screen")
        assert (
            seen["demo-work"][TODAY],
            seen["demo-work"][BALANCE],
            seen["demo-work"][RUNWAY],
        ) == (on_screen)
        for profile in ("demo-client", "demo-staging"):
            await select(pilot, profile)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda profile=profile: (
                    app.profile_name == profile
                    and app.store.snapshot is not None
                    and not app.store.status.loading
                ),
            )
            await pilot.press("1")
            await settle(pilot, ignore=LEDGER)
            assert app.owner.startswith(f"profile {profile}")
            row = seen[profile]
            assert overview_cells(app) == (row[TODAY], row[BALANCE], row[RUNWAY])
            await pilot.press("0")
            await settle(pilot, ignore=LEDGER)
            assert rows(app)[profile][DATA].startswith("on screen")
            screen = app.screen
            assert isinstance(screen, AccountsScreen)
            assert screen.grid.selected_key == profile  # the cursor stayed on the one chosen
        # The profile shown before keeps its row, from what the dashboard held of it.
        assert rows(app)["demo-work"][TODAY] == seen["demo-work"][TODAY]
        assert rows(app)["demo-client"][TODAY] == seen["demo-client"][TODAY]


async def test_one_profile_says_how_to_add_another() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert list(rows(app)) == ["demo"]
        note = str(app.screen.query_one("#fleet-note").render())
        assert "venice-tui auth login --profile NAME" in note


async def test_one_account_down_and_one_refused_leave_the_others_shown() -> None:
    clock = FakeMonotonic()
    responder = DemoResponder(now=lambda: FIXED_NOW)
    app = fleet_app(responder=responder, monotonic=clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("0")
        await fill_fleet(pilot, clock)
        before = rows(app)
        responder.set_fault("503", key="demo-staging")
        clock.advance(300.0)  # every profile due again
        await fill_fleet_again(pilot, clock, "demo-staging", "demo-client")
        staging = rows(app)["demo-staging"]
        assert staging[ALERT].startswith("✗ ")
        assert staging[DATA].startswith("failed")
        assert staging[TODAY] == before["demo-staging"][TODAY]  # its last good data stays
        assert rows(app)["demo-client"] == before["demo-client"]
        assert rows(app)["demo-work"][TODAY] == before["demo-work"][TODAY]
        assert app.store.status.error is None  # the profile on screen knows nothing of it

        responder.set_fault("401", key="demo-client")
        clock.advance(600.0)
        await fill_fleet_again(pilot, clock, "demo-client")
        client = rows(app)["demo-client"]
        assert client[ALERT].startswith("✗ ") and "key" in client[ALERT].lower()
        assert client[TODAY] == before["demo-client"][TODAY]
        assert app.store.status.error is None and not app.store.status.key_refused
        assert set(list(rows(app))[:2]) == {"demo-client", "demo-staging"}  # failures first


async def test_keys_typed_while_the_screen_opens_land_in_order() -> None:
    clock = FakeMonotonic()
    app = fleet_app(monotonic=clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("0", "slash", "s", "t", "a", "g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        assert screen.filter_bar.value == "stag"
        assert [r.key for r in screen.grid.rows] == ["demo-staging"]
        await pilot.press("enter", "1")  # back to the table, then the Overview
        await settle(pilot)
        assert app.current_mode == "overview"
