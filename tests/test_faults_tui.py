"""The fault matrix for the TUI: the real app and client against the loopback demo-server, which
switches behaviour mid-run. Each fault must show what failed, keep the last good data on screen,
and recover by itself once the server behaves."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.conftest import DemoServerProcess
from tests.harness import settle
from tests.ui_helpers import status_text, visible_state, wait_until
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.run import build_app

KEY = "sk-admin-faults-0123456789"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("VENICE_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("VENICE_API_KEY", KEY)
    yield


def live_app(base_url: str, timeout: float | None = 2.0) -> VeniceApp:
    settings = Settings(
        base_url=base_url, chosen_base_url=base_url, profile="default", timeout=timeout
    )
    return build_app(settings, Connection(settings), Period.lookback(7), 60)


def placed(app: VeniceApp) -> bool:
    opened = app.session.opened
    return opened is not None and opened.files is not None


FAULTS = [
    ("400", "lookback: Invalid lookback"),
    ("429", "rate limited"),
    ("500", "server error (500)"),
    ("502-html", "HTML error page"),
    ("504", "press d for a shorter period"),
    ("truncated", "broke before the response was complete"),
    ("wrong-shape", "unexpected shape"),
    ("html-200", "HTML page instead of usage data"),
    ("hang", "did not answer in time"),
]


@pytest.mark.parametrize(("fault", "needle"), FAULTS, ids=[f for f, _ in FAULTS])
async def test_fault_keeps_data_and_says_what_failed(
    demo_server: DemoServerProcess, fault: str, needle: str
) -> None:
    app = live_app(demo_server.base_url)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await settle(pilot)
        good = app.store.snapshot
        demo_server.fault(fault)
        app._last_manual = float("-inf")
        await pilot.press("r")
        await wait_until(
            pilot, lambda: "retry in" in status_text(app) and needle in status_text(app), 30
        )
        text = status_text(app)
        assert app.store.snapshot is good and visible_state(app) == "state-content"
        assert KEY not in text
        demo_server.fault("none")
        app._last_manual = float("-inf")
        await pilot.press("r")
        await wait_until(
            pilot, lambda: app.store.status.error is None and not app.store.status.loading, 30
        )
        assert app.store.snapshot is not good


@pytest.mark.parametrize(("fault", "needle"), [("401", "ADMIN key"), ("402", "402 Payment")])
async def test_a_key_refused_mid_session_offers_the_login_and_keeps_the_data(
    demo_server: DemoServerProcess, fault: str, needle: str
) -> None:
    from venice_tui.ui.screens.login import LoginScreen

    app = live_app(demo_server.base_url)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await settle(pilot)
        good = app.store.snapshot
        demo_server.fault(fault)
        app._last_manual = float("-inf")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), 30)
        assert needle in str(app.screen.query_one("Static").render())
        requests = demo_server.stats()["requests"]
        await pilot.press("escape")  # back to the data, with the error in the status line
        await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert app.store.snapshot is good and needle in status_text(app)
        assert not isinstance(app.screen, LoginScreen)
        assert demo_server.stats()["requests"] == requests  # no retry loop with a refused key
        demo_server.fault("none")
        app._last_manual = float("-inf")
        await pilot.press("r")
        await wait_until(
            pilot, lambda: app.store.status.error is None and not app.store.status.loading
        )


async def test_503_then_success_is_absorbed_by_the_retries(demo_server: DemoServerProcess) -> None:
    app = live_app(demo_server.base_url)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        demo_server.fault("503", count=1)
        app._last_manual = float("-inf")
        before = app.store.snapshot
        await pilot.press("r")
        await wait_until(
            pilot, lambda: app.store.snapshot is not before and not app.store.status.loading
        )
        assert app.store.status.error is None


async def test_connection_refused_before_any_data() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = live_app(f"http://127.0.0.1:{port}/api/v1")
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: visible_state(app) == "state-error")
        assert "cannot connect to 127.0.0.1" in status_text(app)


async def test_dns_failure() -> None:
    app = live_app("https://no-such-host.invalid/api/v1")
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.store.status.error is not None)
        assert "cannot resolve no-such-host.invalid" in status_text(app)


async def test_launch_with_the_server_gone_shows_cached_data(
    demo_server: DemoServerProcess,
) -> None:
    first = live_app(demo_server.base_url)
    async with first.run_test() as pilot:
        await wait_until(pilot, lambda: first.store.snapshot is not None)
        # A new key's account is told by the key list its first refresh brings.
        await wait_until(pilot, lambda: placed(first))
        opened = first.session.opened
        assert opened is not None and opened.files is not None
        cache = SnapshotCache(opened.files).path_for(Period.lookback(7))
        await wait_until(pilot, cache.exists)  # the cache is written off the event loop
    shown = first.store.snapshot
    demo_server.process.terminate()
    demo_server.process.wait(10)
    second = live_app(demo_server.base_url)
    async with second.run_test() as pilot:
        await wait_until(
            pilot,
            lambda: (
                second.store.snapshot is not None
                and second.store.status.error is not None
                and "cannot connect" in status_text(second)
            ),
        )
        snapshot = second.store.snapshot
        assert snapshot is not None and snapshot.source.value == "cached"
        assert snapshot.analytics.totals == shown.analytics.totals  # type: ignore[union-attr]
        text = status_text(second)
        assert (
            "cached" in text
            and "cannot connect" in text
            and visible_state(second) == "state-content"
        )


async def test_a_corrupt_cache_is_set_aside_with_a_notice(
    demo_server: DemoServerProcess, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        base_url=demo_server.base_url, chosen_base_url=demo_server.base_url, profile="default"
    )
    path = Connection(settings).cache().path_for(Period.lookback(7))
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"format": "something else"}\n{}')
    app = live_app(demo_server.base_url)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await wait_until(pilot, lambda: any("unusable" in n.message for n in app._notifications))
        assert list(path.parent.glob("*.corrupt-*"))
        assert app.store.snapshot.source.value == "live"  # type: ignore[union-attr]


async def test_too_small_terminal_shows_a_message(demo_server: DemoServerProcess) -> None:
    app = live_app(demo_server.base_url)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await pilot.resize_terminal(60, 20)
        await wait_until(pilot, lambda: app.screen.has_class("-too-narrow"))
        await wait_until(pilot, lambda: "60×20" in str(app.screen.query_one("#too-small").render()))
        assert app.screen.query_one("#too-small").display
        assert not app.screen.query_one("#states").display
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: not app.screen.has_class("-too-narrow"))
        assert app.screen.query_one("#states").display


async def test_server_killed_then_restarted_recovers_without_a_key_press(
    demo_server: DemoServerProcess,
) -> None:
    from tests.conftest import start_demo_server

    port = demo_server.base_url.split(":")[2].split("/")[0]
    settings = Settings(
        base_url=demo_server.base_url,
        chosen_base_url=demo_server.base_url,
        profile="default",
        timeout=2.0,
    )
    app = build_app(
        settings, Connection(settings), Period.lookback(7), 1
    )  # a 1 s interval keeps the test short
    async with app.run_test() as pilot:
        # A key new to this profile fetches at once and is placed beside it; its placement
        # refreshes once more: the data to keep is what is on screen after that.
        await wait_until(pilot, lambda: app.store.snapshot is not None and placed(app))
        await settle(pilot)
        shown = app.store.snapshot
        demo_server.process.terminate()
        demo_server.process.wait(10)
        await wait_until(
            pilot, lambda: "cannot connect" in status_text(app) and "retry in" in status_text(app)
        )
        assert app.store.snapshot is shown and visible_state(app) == "state-content"
        restarted = start_demo_server("--port", port)
        try:
            await wait_until(
                pilot,
                lambda: app.store.status.error is None and app.store.snapshot is not shown,
                30,
            )
        finally:
            restarted.process.terminate()
            restarted.process.wait(10)
