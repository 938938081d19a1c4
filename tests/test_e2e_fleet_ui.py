"""Several profiles, each with its own stored key, in the dashboard against the loopback demo
server (a key holding `demo-client` or `demo-staging` is a key of that demo account): the
Accounts screen's rows, Enter switching, one account failing or refused while the others
show, and 50 profiles on a fake clock refreshed one at a time, never in a storm."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import DemoServerProcess
from tests.harness import FakeMonotonic, fill_fleet, fill_fleet_again, settle
from tests.ui_helpers import wait_until
from venice_tui.api.period import Period
from venice_tui.core import key_file
from venice_tui.core.connection import Connection
from venice_tui.core.fleet_schedule import OTHER_INTERVAL
from venice_tui.core.settings import Settings
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.run import build_app
from venice_tui.ui.screens.accounts import AccountsScreen
from venice_tui.ui.widgets.kpi import KpiTile

pytestmark = pytest.mark.e2e
KEYS = {
    "work": "sk-admin-demo-work-0123456789",
    "client": "sk-admin-demo-client-0123456789",
    "staging": "sk-admin-demo-staging-0123456789",
}
TODAY, BALANCE, RUNWAY, ALERT, DATA = 2, 6, 8, 9, 10


def fleet_dashboard(
    server: DemoServerProcess, keys: dict[str, str], clock: FakeMonotonic
) -> VeniceApp:
    for profile, key in keys.items():
        key_file.store_key(profile, key)
    first = next(iter(keys))
    settings = Settings(base_url=server.base_url, profile=first, chosen_base_url=server.base_url)
    return build_app(settings, Connection(settings), Period.lookback(7), 60, monotonic=clock)


def rows(app: VeniceApp) -> dict[str, tuple[str, ...]]:
    screen = app.screen
    assert isinstance(screen, AccountsScreen)
    return {row.key: row.cells for row in screen.grid.rows}


async def first_data(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, VeniceApp)
    await wait_until(pilot, lambda: app.store.snapshot is not None and not app.store.status.loading)
    await settle(pilot)


async def fleet_quiet(pilot: Pilot[Any]) -> None:
    """Until no refresh of another profile is under way (cheaper than `settle` per step)."""
    for _ in range(2000):
        await pilot.pause()
        if not any(w.group.startswith("fleet:") and w.is_running for w in pilot.app.workers):
            return
    raise AssertionError("a refresh never ended")


@pytest.mark.parametrize("count", [2, 3])
async def test_every_profile_has_its_own_row_equal_to_its_own_overview(
    demo_server: DemoServerProcess, count: int
) -> None:
    keys = dict(list(KEYS.items())[:count])
    clock = FakeMonotonic()
    app = fleet_dashboard(demo_server, keys, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await first_data(pilot)
        await pilot.press("0")
        await fill_fleet(pilot, clock)
        seen = rows(app)
        assert set(seen) == set(keys)
        assert len({cells[TODAY] for cells in seen.values()}) == count  # accounts, not copies
        assert seen["work"][1] == "••••6789" and seen["work"][DATA].startswith("on screen")
        for profile in list(keys)[1:]:
            screen = app.screen
            assert isinstance(screen, AccountsScreen)
            await pilot.press("home")
            for _ in range([r.key for r in screen.grid.rows].index(profile)):
                await pilot.press("down")
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
            await settle(pilot)
            tile = app.screen.query_one
            shown = (
                tile("#kpi-today", KpiTile).value,
                tile("#kpi-balance", KpiTile).value,
                tile("#kpi-runway", KpiTile).value,
            )
            assert shown == (seen[profile][TODAY], seen[profile][BALANCE], seen[profile][RUNWAY])
            assert app.owner == f"profile {profile} · key ••••6789"
            await pilot.press("0")
            await settle(pilot)
            assert rows(app)[profile][DATA].startswith("on screen")
            assert rows(app)["work"][TODAY] == seen["work"][TODAY]


async def test_every_row_from_disk_is_in_the_first_paint(demo_server: DemoServerProcess) -> None:
    clock = FakeMonotonic()
    app = fleet_dashboard(demo_server, KEYS, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await first_data(pilot)
        await pilot.press("0")
        await fill_fleet(pilot, clock)
        seen = rows(app)
    again = fleet_dashboard(demo_server, KEYS, FakeMonotonic())  # its clock never moves
    async with again.run_test(size=(160, 40)) as pilot:
        await pilot.press("0")  # typed at once: the Accounts screen is the first one drawn
        screen = again.screen
        assert isinstance(screen, AccountsScreen)
        first = rows(again)
        assert {p: cells[TODAY] for p, cells in first.items()} == {
            p: cells[TODAY] for p, cells in seen.items()
        }
        assert not any(w.fetched_at is None for w in again.fleet.others.values())


async def test_one_account_down_and_another_refused_never_touch_the_rest(
    demo_server: DemoServerProcess,
) -> None:
    clock = FakeMonotonic()
    app = fleet_dashboard(demo_server, KEYS, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await first_data(pilot)
        await pilot.press("0")
        await fill_fleet(pilot, clock)
        before = rows(app)

        demo_server.fault("503", key="demo-client")
        clock.advance(OTHER_INTERVAL)
        await fill_fleet_again(pilot, clock, "client", "staging")
        after = rows(app)
        assert after["client"][ALERT].startswith("✗ Venice had a server error (503)")
        assert after["client"][TODAY] == before["client"][TODAY]  # its last good data stays
        assert after["staging"] == before["staging"]
        assert app.store.status.error is None

        demo_server.fault("none")
        demo_server.fault("401", key="demo-staging")
        clock.advance(OTHER_INTERVAL)
        await fill_fleet_again(pilot, clock, "staging")
        after = rows(app)
        assert after["staging"][ALERT].startswith("✗ Venice rejected the API key")
        assert after["staging"][DATA].startswith("failed")
        assert after["work"][TODAY] == before["work"][TODAY]
        assert not app.store.status.key_refused  # no login screen for another profile's key
        assert isinstance(app.screen, AccountsScreen)


async def test_fifty_profiles_are_refreshed_one_at_a_time(
    demo_server: DemoServerProcess,
) -> None:
    keys = {f"p{i:02d}": f"sk-admin-fleet-{i:02d}-0123456789" for i in range(50)}
    clock = FakeMonotonic()
    app = fleet_dashboard(demo_server, keys, clock)
    async with app.run_test(size=(160, 60)) as pilot:
        await first_data(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert len(rows(app)) == 50

        windows: list[int] = []  # requests per second of the fake clock
        filled: list[int] = []  # profiles filled per second
        last = demo_server.stats()["requests"]
        for _ in range(400):
            known = sum(1 for w in app.fleet.others.values() if w.fetched_at)
            if known == 49:
                break
            clock.advance(1.0)
            app.fleet_service.tick()
            await fleet_quiet(pilot)
            filled.append(sum(1 for w in app.fleet.others.values() if w.fetched_at) - known)
            now = demo_server.stats()["requests"]
            windows.append(now - last)
            last = now
        assert all(w.fetched_at for w in app.fleet.others.values())
        assert max(filled) == 1  # one profile per second at most
        # One profile's first refresh: its key list to place it, then month, balance, keys,
        # limits and the 30 days before today.
        assert max(windows) <= 6
        assert len(rows(app)) == 50 and all(cells[TODAY] != "—" for cells in rows(app).values())

        # Steady state: over one interval every other profile is asked once, 4 requests each
        # (the clock jumps from one due time to the next).
        refresh = app.fleet_service.refresh
        assert refresh is not None
        start, end = demo_server.stats()["requests"], clock.now + OTHER_INTERVAL
        starts: list[float] = []
        while (due := refresh.schedule.next_due()) is not None and due < end:
            clock.now = max(clock.now, due)
            starts.append(clock.now)
            app.fleet_service.tick()
            await fleet_quiet(pilot)
        asked = demo_server.stats()["requests"] - start
        assert 49 * 3 < asked <= 49 * 4
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(starts))
