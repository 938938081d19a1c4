"""`VeniceApp`: one store, mirrored into reactives; three top-level screens as Textual modes."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.keyring_store import KeyringStatus
from venice_tui.core.snapshot_cache import CacheLoad
from venice_tui.core.store import Snapshot, Source, StoreStatus, UsageStore
from venice_tui.ui.chart_specs import Currency
from venice_tui.ui.screens.base import DashboardScreen
from venice_tui.ui.screens.overview import OverviewScreen
from venice_tui.ui.status_text import StatusView

if TYPE_CHECKING:
    from venice_tui.api.client import UsageClient

#: `r` pressed faster than this is ignored; the client's failure budget guards the rest.
MIN_MANUAL_SPACING = 1.0
MIN_WIDTH, MIN_HEIGHT = 80, 24
NARROW_WIDTH = 110
SHORT_HEIGHT = 30


def _models_screen() -> Screen[None]:
    from venice_tui.ui.screens.models import ModelsScreen

    return ModelsScreen()


def _keys_screen() -> Screen[None]:
    from venice_tui.ui.screens.keys import KeysScreen

    return KeysScreen()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class VeniceApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "venice-tui"
    # Models and API Keys are imported on first visit: start-up pays only for the Overview.
    MODES = {"overview": OverviewScreen, "models": _models_screen, "keys": _keys_screen}
    DEFAULT_MODE = "overview"
    BINDINGS = [
        Binding("1", "show('overview')", "Overview", show=False),
        Binding("2", "show('models')", "Models", show=False),
        Binding("3", "show('keys')", "Keys", show=False),
        Binding("r", "refresh_now", "Refresh"),
        Binding("p", "toggle_pause", "Pause"),
        Binding("d", "pick_period", "Period"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    status: reactive[StoreStatus] = reactive(StoreStatus, always_update=True)
    paused: reactive[bool] = reactive(False)
    currency: reactive[Currency] = reactive("both")

    def __init__(
        self,
        store: UsageStore,
        refresh_interval: int = 60,
        *,
        clock: Callable[[], datetime] = _utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        on_close: Callable[[], Awaitable[None]] | None = None,
        connection: Connection | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        #: How to find, check and keep keys; None in demo mode.
        self.connection = connection
        #: Said once the screen is up (e.g. a corrupt cache file was set aside).
        self.startup_notice: str | None = None
        self.refresh_interval = refresh_interval
        self.now = clock
        self._monotonic = monotonic
        self._on_close = on_close
        self._timer: Timer | None = None
        self._next_at: float | None = None
        self._last_manual = float("-inf")
        self.store.subscribe(self._mirror)
        self._mirror()

    def _mirror(self) -> None:
        self.snapshot = self.store.snapshot
        self.status = self.store.status

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.fit_to_size(self.size.width, self.size.height)
        if self.store.can_fetch:
            self._start_refresh()
        elif self.connection is not None:
            # After the first frame: finding the key imports httpx on a thread, and that would
            # compete with the first paint for the interpreter (the data on disk is already in).
            self.call_after_refresh(self._find_key, self.connection)
        if self.startup_notice:
            self.notify(self.startup_notice, severity="warning", timeout=8, markup=False)
        self._watch_signals()

    def _watch_signals(self) -> None:
        import asyncio
        import contextlib
        import signal

        # Not on Windows, nor outside the main thread (tests): then SIGTERM keeps its default.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)

    @work(thread=True, group="cache", exit_on_error=False)
    def _load_cached(self, connection: Connection, period: Period) -> None:
        """Show the last good data from disk at once, while the live fetch runs."""
        loaded = connection.cache().load(period)
        self.call_from_thread(self._show_cached, loaded)

    def _show_cached(self, loaded: CacheLoad) -> None:
        if loaded.notice:
            self.notify(loaded.notice, severity="warning", timeout=8, markup=False)
        if loaded.snapshot is not None:
            self.store.show_cached(loaded.snapshot)

    # Keys and accounts

    @work(thread=True, exclusive=True, group="credentials", exit_on_error=False)
    def _find_key(self, connection: Connection) -> None:
        """Off the main thread: a keyring may take seconds to answer (or never)."""
        found = connection.find_key()
        if found is not None:
            client = connection.client(found.key)
            self.call_from_thread(self.connect, connection, client)
        else:
            status = connection.keyring_status()
            self.call_from_thread(self._ask_for_key, connection, status)

    def _ask_for_key(self, connection: Connection, status: KeyringStatus) -> None:
        from venice_tui.ui.screens.login import LoginScreen

        self.push_screen(LoginScreen(connection, status))

    def connect(
        self, connection: Connection, client: UsageClient, first: UsageAnalytics | None = None
    ) -> None:
        """Fetch with `client` for `connection`'s profile from now on: after a key was found, a
        login, or a profile switch. Another profile's data leaves the screen at once."""
        same_account = self.connection is not None and connection.profile == self.connection.profile
        self.connection = connection
        previous = self._on_close
        self._on_close = client.aclose
        if previous is not None:
            self.run_worker(previous(), exit_on_error=False)
        self.store.attach(connection.fetcher(client, self.now), Source.LIVE, keep_data=same_account)
        if not same_account:
            self._load_cached(connection, self.store.period)
        if first is not None:
            self.store.show(first, self.now(), Source.LIVE)
            self._arm_next()
        else:
            self._start_refresh()

    def switch_profile(self, profile: str) -> None:
        if self.connection is None:
            return
        self.workers.cancel_group(self, "refresh")
        self._cancel_timer()
        self.store.forget()  # another account's numbers must not stay on screen
        self.notify(f"Switching to profile {profile}…", timeout=3)
        self._find_key(self.connection.for_profile(profile))

    def fit_to_size(self, width: int, height: int) -> None:
        """Size classes for the stylesheet; screens call this on resize (the app never sees it)."""
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self.set_class(height < SHORT_HEIGHT, "-short")
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "-too-small")
        if too_small and isinstance(self.screen, DashboardScreen):
            self.screen.show_too_small(width, height)

    async def on_unmount(self) -> None:
        if self._on_close is not None:
            await self._on_close()

    def _tick(self) -> None:
        screen = self.screen
        if isinstance(screen, DashboardScreen):
            screen.tick()

    # Refresh scheduling: one request at a time, the next armed when the last one ends.

    def _start_refresh(self) -> None:
        self._cancel_timer()
        self._refresh_worker()

    @work(exclusive=True, exit_on_error=False, group="refresh")
    async def _refresh_worker(self) -> None:
        try:
            await self.store.refresh()
        finally:
            self._arm_next()

    def _arm_next(self) -> None:
        self._cancel_timer()
        if self.paused or self.refresh_interval <= 0:
            return
        delay = self.store.next_refresh_delay(self.refresh_interval)
        self._next_at = self._monotonic() + delay
        self._timer = self.set_timer(delay, self._start_refresh)
        self._tick()  # show the countdown now, not at the next second

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._next_at = None

    def seconds_to_next_refresh(self) -> float | None:
        if self._next_at is None:
            return None
        return max(0.0, self._next_at - self._monotonic())

    def status_view(self) -> StatusView:
        return StatusView(
            status=self.status,
            snapshot=self.snapshot,
            paused=self.paused,
            interval=self.refresh_interval,
            next_in=self.seconds_to_next_refresh(),
            age=self.store.age_seconds(),
            stale=self.store.is_stale(self.refresh_interval),
            today=self.now().date(),
        )

    # Actions

    def action_show(self, mode: str) -> None:
        if mode in self.MODES and self.current_mode != mode:
            self.switch_mode(mode)

    def action_refresh_now(self) -> None:
        if self.store.status.loading:
            self.notify("Already fetching; one request at a time.", timeout=2)
            return
        now = self._monotonic()
        if now - self._last_manual < MIN_MANUAL_SPACING:
            return
        self._last_manual = now
        self._start_refresh()

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        if self.paused:
            self._cancel_timer()
            self.notify("Live refresh paused; p resumes.", timeout=3)
        else:
            self.notify("Live refresh resumed.", timeout=3)
            if not self.store.status.loading:
                self._start_refresh()
        self._tick()

    def action_pick_period(self) -> None:
        from venice_tui.ui.screens.period import PeriodScreen

        self.push_screen(PeriodScreen(self.store.period), self._period_chosen)

    def _period_chosen(self, period: Period | None) -> None:
        if period is None or period == self.store.period:
            return
        self.store.set_period(period)
        self.workers.cancel_group(self, "refresh")
        if self.connection is not None:
            self._load_cached(self.connection, period)
        self._start_refresh()

    def action_help(self) -> None:
        from venice_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Overview",
            "Show totals, daily charts and the top models and keys (1)",
            lambda: self.action_show("overview"),
        )
        yield SystemCommand(
            "Models", "Show every model with its breakdown (2)", lambda: self.action_show("models")
        )
        yield SystemCommand(
            "API Keys", "Show every API key, Web App included (3)", lambda: self.action_show("keys")
        )
        yield SystemCommand(
            "Refresh now", "Fetch the period's usage again (r)", self.action_refresh_now
        )
        yield SystemCommand(
            "Resume live refresh" if self.paused else "Pause live refresh",
            "Stop or restart the automatic refresh (p)",
            self.action_toggle_pause,
        )
        yield SystemCommand(
            "Change period", "Pick 1d, 7d, 30d, 90d or a date range (d)", self.action_pick_period
        )
        yield SystemCommand("Help", "Every key and what the numbers mean (?)", self.action_help)
        if self.connection is not None:
            current = self.connection.profile
            for profile in self.connection.known_profiles():
                if profile != current:
                    yield SystemCommand(
                        f"Switch profile: {profile}",
                        f"Use the key stored for profile {profile} (now: {current})",
                        partial(self.switch_profile, profile),
                    )
