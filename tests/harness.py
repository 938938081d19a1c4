"""Deterministic demo apps for tests, benchmarks and screenshots (fixed clock, frozen countdown).

`make screenshots` runs this module: it renders each screen from demo data as SVG into
`screenshots/`, at 120x36, plus the Overview at 80x24. It is not part of the installed package.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from venice_tui.api.client import VeniceClient
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger_sync import LedgerWalk
from venice_tui.core.budgets import Budgets
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.identity import demo_files
from venice_tui.core.store import Source, UsageStore
from venice_tui.demo.connection import DEMO_BUDGETS, DemoConnection, demo_client
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoSyncTransport
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.session import Opened
from venice_tui.ui.widgets.chart import ChartView

FIXED_NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def demo_app(
    period: Period | None = None,
    refresh: int = 60,
    *,
    account: DemoAccount | None = None,
    responder: DemoResponder | None = None,
    ledger_days: int | None = None,
    budgets: Budgets = DEMO_BUDGETS,
) -> VeniceApp:
    """`ledger_days`: an archive in memory holding that many days of the demo ledger."""
    responder = responder or DemoResponder(account, now=lambda: FIXED_NOW)
    client = demo_client(responder, today=lambda: FIXED_NOW.date())
    archive = synced_archive(responder, ledger_days) if ledger_days is not None else None
    fetchers = AccountFetcher(client, None, lambda: FIXED_NOW, archive)
    store = UsageStore(
        fetchers, period or Period.lookback(30), Source.DEMO, clock=lambda: FIXED_NOW
    )
    demo = DemoConnection(responder, default_budgets=budgets)
    return opened_app(store, refresh, demo, client, archive)


def opened_app(
    store: UsageStore,
    refresh: int,
    account: DemoConnection,
    client: VeniceClient | None,
    archive: Archive | None,
) -> VeniceApp:
    """The app on `store`, with the demo account already open (no key to look up): `archive`
    None for none, and its ledger not synced unless a test asks for it."""
    account = replace(account, memory=archive or account.memory, ledger_by_default=False)
    opened = Opened(account, client, demo_files(), archive, account.label)
    app = VeniceApp(
        store,
        refresh,
        account=account,
        opened=opened,
        clock=lambda: FIXED_NOW,
        monotonic=lambda: 1000.0,
    )
    return app


class FakeMonotonic:
    """A monotonic clock that moves only when told (the fleet's schedule runs on it)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fleet_app(
    refresh: int = 60,
    *,
    responder: DemoResponder | None = None,
    monotonic: FakeMonotonic | None = None,
) -> VeniceApp:
    """The demo fleet (`--demo`): its first account on screen, the other two watched."""
    from venice_tui.core.fleet import DEMO_FLEET
    from venice_tui.demo.connection import demo_fleet_member

    responder = responder or DemoResponder(now=lambda: FIXED_NOW)
    account = demo_fleet_member(responder, DEMO_FLEET[0], today=lambda: FIXED_NOW.date())
    client = account.client()
    files = account.files()
    store = UsageStore(
        account.fetchers(client, lambda: FIXED_NOW, files),
        Period.lookback(30),
        Source.DEMO,
        clock=lambda: FIXED_NOW,
    )
    account = replace(account, ledger_by_default=False)
    key = account.find_key().key
    opened = Opened(account, client, files, account.memory, account.label, key)
    return VeniceApp(
        store,
        refresh,
        account=account,
        opened=opened,
        clock=lambda: FIXED_NOW,
        monotonic=monotonic or FakeMonotonic(),
    )


async def fill_fleet(pilot: Pilot[Any], clock: FakeMonotonic, step: float = 1.0) -> None:
    """Move the fake clock on until every profile of the fleet has been refreshed once."""
    app = pilot.app
    assert isinstance(app, VeniceApp)
    for _ in range(1000):
        view = app.fleet
        others = [p for p in view.profiles if p != app.profile_name]
        if view.disk_read and all(
            (w := view.others.get(p)) is not None and (w.fetched_at or w.error) for p in others
        ):
            await settle(pilot)
            return
        clock.advance(step)
        app.fleet_service.tick()
        await settle(pilot)
    raise TimeoutError("the fleet was not filled")


async def fill_fleet_again(pilot: Pilot[Any], clock: FakeMonotonic, *profiles: str) -> None:
    """Tick the fake clock until each of `profiles` has been refreshed since now."""
    app = pilot.app
    assert isinstance(app, VeniceApp)
    # The watches themselves: a refresh that brings the same numbers changes no row.
    fleet = app.fleet_service.refresh
    assert fleet is not None
    before = {p: fleet.watches[p].watched for p in profiles}
    for _ in range(200):
        now = {p: fleet.watches[p].watched for p in profiles}
        if all(now[p] is not before[p] and not now[p].loading for p in profiles):
            await settle(pilot)
            return
        clock.advance(1.0)
        app.fleet_service.tick()
        await settle(pilot)
    raise AssertionError("the profiles were not refreshed")


def synced_archive(responder: DemoResponder, days: int) -> Archive:
    """An in-memory archive with `days` of the demo ledger, walked through the real client."""
    archive = Archive.in_memory()
    if days == 0:
        return archive
    walk = LedgerWalk(archive, FIXED_NOW, since=FIXED_NOW - timedelta(days=days))
    transport = DemoSyncTransport(responder)
    with VeniceSyncClient(ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=transport) as client:
        while (call := walk.next_call()) is not None:
            walk.take(client.ledger(call))
    return archive


async def settle(pilot: Pilot[Any], rounds: int = 400, ignore: tuple[str, ...] = ()) -> None:
    """Wait until the data is drawn and every visible chart shows its final build, twice in a
    row: a message still on its way (a highlighted row resizing a chart) gets its turn."""
    app = pilot.app
    calm = 0
    for _ in range(rounds):
        await pilot.pause(0.01)
        calm = calm + 1 if _is_settled(app, ignore) else 0
        if calm >= 3:
            return
    raise TimeoutError("the screen did not settle")


def _is_settled(app: App[Any], ignore: tuple[str, ...] = ()) -> bool:
    screen = app.screen
    if not getattr(screen, "is_up_to_date", True):
        return False
    if any(w.is_running and w.group not in ignore for w in app.workers):
        return False
    charts = [c for c in screen.query(ChartView) if c.display and c.region.area]
    return all(c.is_settled for c in charts)


SHOTS = (
    ("overview", "1", (120, 36)),
    ("models", "2", (120, 36)),
    ("keys", "3", (120, 36)),
    ("overview-80x24", "1", (80, 24)),
    ("help", "question_mark", (120, 36)),
    ("period", "d", (120, 36)),
    ("history", "4", (120, 36)),
    ("login", "", (120, 36)),
    ("accounts", "0", (120, 36)),
)


def open_login(app: VeniceApp) -> None:
    """The login screen as a person without a stored key meets it (keyring available)."""
    from venice_tui.core.connection import Connection
    from venice_tui.core.keyring_store import KeyringStatus
    from venice_tui.core.settings import Settings
    from venice_tui.ui.screens.login import LoginScreen

    account = Connection(Settings(base_url="https://api.venice.ai/api/v1", profile="default"))
    app.push_screen(
        LoginScreen(
            account,
            KeyringStatus(True, "SecretService Keyring"),
            app.store.period,
            clock=lambda: FIXED_NOW,
        )
    )


async def render_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, key, size in SHOTS:
        clock = FakeMonotonic()
        if name == "accounts":
            app = fleet_app(monotonic=clock)
        else:
            app = demo_app(ledger_days=7 if name == "history" else None)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            if name == "login":
                open_login(app)
            else:
                await pilot.press(key)
            if name == "accounts":
                await fill_fleet(pilot, clock)
                clock.now = 1000.0  # the status line's countdown as on the other pictures
                app.arm_next_refresh()
            await settle(pilot)
            path = folder / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(folder))
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "screenshots")
    for path in asyncio.run(render_all(folder)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
