"""The first second of the dashboard: the key is looked up only once the first screen is
painted, with the last good data of the account already in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DemoServerProcess
from tests.ui_helpers import wait_until
from venice_tui.api.calls import API_KEYS_CALL, Call
from venice_tui.api.client import VeniceClient
from venice_tui.api.exchange import Reply
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.run import build_app

KEY = "sk-admin-first-launch-0123456789"
PERIOD = Period.lookback(7)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    for name in ("CONFIG", "CACHE", "STATE", "DATA"):
        monkeypatch.setenv(f"VENICE_TUI_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.setenv("VENICE_API_KEY", KEY)
    yield


def live_app(server: DemoServerProcess) -> VeniceApp:
    settings = Settings(
        base_url=server.base_url, chosen_base_url=server.base_url, profile="default"
    )
    return build_app(settings, Connection(settings), PERIOD, 60)


def kept(app: VeniceApp) -> bool:
    opened = app.session.opened
    if opened is None or opened.files is None:
        return False
    return SnapshotCache(opened.files).load(PERIOD).snapshot is not None


async def test_the_last_data_is_in_the_first_frame_before_the_key_is_looked_up(
    demo_server: DemoServerProcess,
) -> None:
    first = live_app(demo_server)
    async with first.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: kept(first) and not first.store.status.loading)
    app = live_app(demo_server)
    looked_up: list[bool] = []
    find_key = app.session.find_key

    def find_after_paint(account):  # type: ignore[no-untyped-def]
        looked_up.append(app.screen.query_one("#top-models").region.height > 0)
        find_key(account)

    app.session.find_key = find_after_paint  # type: ignore[method-assign]
    assert app.store.snapshot is not None  # read from disk while the app was built
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: bool(looked_up))
        assert looked_up == [True]


async def test_a_new_keys_first_refresh_places_it_without_asking_anything_again(
    demo_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real_get = VeniceClient.get

    async def counted(self: VeniceClient, call: Call) -> Reply:
        asked.append(f"{call.path}?{sorted(call.params.items())}")
        return await real_get(self, call)

    monkeypatch.setattr(VeniceClient, "get", counted)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: kept(app) and not app.store.status.loading)
        assert app.store.snapshot is not None
        # One refresh: each slice asked once, the key list included (it placed the key).
        assert sorted(asked) == sorted(set(asked))
        assert len([a for a in asked if a.startswith(f"{API_KEYS_CALL.path}?")]) == 1
        assert app.store.account.keys.value is not None
