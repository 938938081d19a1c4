"""`VeniceApp`: one store, mirrored into reactives; the screens of `navigation.SCREENS` as modes.

A thin host: it composes, binds keys, schedules refreshes, and holds three components, each
published into reactives through one callback: the account session (`ui.session`: whose data,
which key), the budget desk (`ui.budget_desk`: budgets, findings, alerts) and the ledger
service (`ui.ledger_service`: the archive and its ledger). State flows down (the reactives,
read through `ui.host`), requests come up as actions and screen results. Every worker's failure
reaches `on_worker_state_changed` and becomes an honest status; nothing fails silently.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.filter import LineFilter
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from venice_tui.core import ui_state
from venice_tui.core.account_state import AccountState
from venice_tui.core.budgets import Budgets, Finding
from venice_tui.core.domain import Clock, Period, one_line, utc_now
from venice_tui.core.figures import Figures
from venice_tui.core.format import next_change_in
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.marks import mark, mark_each
from venice_tui.core.store import Snapshot, StoreStatus, UsageStore
from venice_tui.ui.budget_desk import BudgetDesk
from venice_tui.ui.collector import freeze_what_is_built, thaw
from venice_tui.ui.fleet_service import FleetService, FleetView
from venice_tui.ui.host import CURRENCY_CYCLE, Currency, RefreshPlan, Tick
from venice_tui.ui.key_order import KeyOrderMixin
from venice_tui.ui.ledger_service import LedgerService, LedgerState
from venice_tui.ui.line_filters import line_filters
from venice_tui.ui.navigation import (
    COMMANDS,
    DASHBOARD_ACTIONS,
    SCREENS,
    TYPING_ACTIONS,
    app_bindings,
)
from venice_tui.ui.session import Account, AccountSession, Opened

if TYPE_CHECKING:
    from venice_tui.core.local_archive import Archive

#: `r` pressed faster than this is ignored; the client's failure budget guards the rest.
MIN_MANUAL_SPACING = 1.0


class VeniceApp(KeyOrderMixin, App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "venice-tui"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {s.mode: s.build for s in SCREENS}
    DEFAULT_MODE = SCREENS[0].mode
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()
    # Size classes on every screen: the layout adapts in the stylesheet, not in resize code.
    HORIZONTAL_BREAKPOINTS = [
        (0, "-too-narrow"),
        (80, "-narrow"),
        (110, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [
        (0, "-too-short"),
        (24, "-short"),
        (30, "-tall"),
    ]

    # State, not looks: each screen and widget redraws what it shows of it. A repaint here would
    # repaint the whole screen at every change (the clock's tick every second, every refresh).
    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, repaint=False)
    account: reactive[AccountState] = reactive(AccountState, repaint=False)
    #: The account's derived figures (`UsageStore.figures`): one value for every place.
    figures: reactive[Figures] = reactive(lambda: Figures(utc_now().date()), repaint=False)
    status: reactive[StoreStatus] = reactive(StoreStatus, always_update=True, repaint=False)
    currency: reactive[Currency] = reactive("both", repaint=False)
    tick: reactive[Tick] = reactive(lambda: Tick(utc_now(), time.monotonic()), repaint=False)
    plan: reactive[RefreshPlan] = reactive(lambda: RefreshPlan(60), repaint=False)
    #: A day History is asked to open at (a number, so the same day can be asked twice).
    history_request: reactive[tuple[int, date] | None] = reactive(None, repaint=False)
    #: Whose data this is, e.g. `profile work · key ••••6789` or `demo data`.
    owner: reactive[str] = reactive("", repaint=False)
    #: The account's budgets (config.toml `[budget.<profile>]`), and the budgets and Venice key
    #: limits at or past their warning threshold, worst first.
    budgets: reactive[Budgets] = reactive(Budgets, repaint=False)
    findings: reactive[tuple[Finding, ...]] = reactive(tuple, repaint=False)
    #: The ledger in the account's archive.
    ledger: reactive[LedgerState] = reactive(LedgerState, repaint=False)
    #: Every other profile, each watched on its own (the Accounts screen).
    fleet: reactive[FleetView] = reactive(FleetView, repaint=False)

    def __init__(
        self,
        store: UsageStore,
        refresh_interval: int = 60,
        *,
        account: Account,
        opened: Opened | None = None,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        remember: bool = False,
    ) -> None:
        """`opened`: the account already open (the demo's, whose fetchers are in `store`);
        else the session finds its key after the first frame."""
        super().__init__()
        self.store = store
        #: Said once the screen is up (a corrupt cache file set aside, a bad config value).
        self.startup_notices: list[str] = []
        self.now = clock
        self._monotonic = monotonic
        self._timer: Timer | None = None
        self._tick_timer: Timer | None = None
        self._last_manual = float("-inf")
        #: Keep the theme and period for the next start (off in tests and screenshots).
        self._remember = remember
        self.set_class(GLYPHS.ascii, "-ascii")
        self.session = AccountSession(
            self, account, store, self._opened, self._owner_changed, self.arm_next_refresh
        )
        self.desk = BudgetDesk(self, self._budgets_published, self.reload_budgets)
        self.ledger_service = LedgerService(self, self._ledger_published, clock)
        self.fleet_service = FleetService(self, self._fleet_published, clock, monotonic)
        self.session.on_switching = self._switching
        self._opened_first = opened
        self._first_painted = False
        self.set_reactive(VeniceApp.plan, RefreshPlan(refresh_interval))
        self.set_reactive(VeniceApp.tick, Tick(clock(), monotonic()))
        self.set_reactive(VeniceApp.owner, opened.owner if opened else account.label)
        self.store.subscribe(self._mirror)
        self._mirror()

    # The bridge: components publish, the reactives follow.

    def _owner_changed(self, owner: str) -> None:
        self.owner = owner

    def _budgets_published(self, budgets: Budgets, findings: tuple[Finding, ...]) -> None:
        if budgets != self.budgets:
            self.budgets = budgets
        if findings != self.findings:
            self.findings = findings

    def _ledger_published(self, state: LedgerState) -> None:
        self.ledger = state

    def _fleet_published(self, view: FleetView) -> None:
        self.fleet = view

    def _switching(self, profile: str) -> None:
        """Another profile takes the screen: the one shown so far is watched with the others,
        from what the dashboard held of it."""
        self.fleet_service.switched(profile, self.store.account)

    @property
    def archive(self) -> Archive | None:
        return self.ledger_service.archive

    @property
    def profile_name(self) -> str:
        return self.session.account.profile

    def _opened(self, opened: Opened, same: bool, fetch: bool) -> None:
        """An account is open: after its key was found, a login, a profile switch; a new
        key's account once told (`fetch` False: its fetcher is at work already)."""
        self.ledger_service.client = opened.client
        self.fleet_service.opened(opened.key.tail if opened.key else None)
        if not same:
            self.reload_budgets()
            self.ledger_service.start(opened.archive, opened.account.ledger_by_default)
        if fetch and self.store.can_fetch:
            self.start_refresh()

    def get_line_filters(self) -> Sequence[LineFilter]:
        return line_filters(
            super().get_line_filters(),
            no_color=self.no_color,
            ansi_theme=self.native_ansi_color,
            ascii=GLYPHS.ascii,
        )

    def _mirror(self) -> None:
        shown, latest = self.snapshot, self.store.snapshot
        # A new version, not the same numbers heard again (`UsageStore._keep`).
        fresh = latest is not None and (shown is None or latest.version != shown.version)
        self.snapshot = self.store.snapshot
        self.status = self.store.status
        self.account = self.store.account
        self.figures = self.store.figures
        if self.is_running and fresh and self.archive is not None:
            self.ledger_service.count()  # new usage days: reconcile them with the ledger
        if self.is_running:
            self.desk.evaluate(self.store.account, self.store.figures, self.now())

    def reload_budgets(self) -> None:
        """The budgets of the account on screen, read again (config.toml may have changed)."""
        opened = self.session.opened
        if opened is None:
            return
        digest = opened.files.digest if opened.files is not None else None
        for problem in self.desk.load(opened.account, digest):
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self.desk.evaluate(self.store.account, self.store.figures, self.now())

    def on_mount(self) -> None:
        mark("app mounted")
        self.call_after_refresh(mark, "first frame")
        self._advance_tick()
        if self._remember:
            saved = ui_state.load()
            if saved.theme and saved.theme in self.available_themes:
                self.theme = saved.theme
        if self._opened_first is not None:
            self.session.adopt(self._opened_first)
        for notice in self.startup_notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        self._watch_signals()

    def _start_fleet(self) -> None:
        account = self.session.account
        self.fleet_service.start(account, account.fleet())

    def on_dashboard_screen_painted(self) -> None:
        """The first screen is composed: once it is on the terminal (with the last data from
        disk) the key is looked up and the other screens imported. Both import much on a
        thread, and before the first paint they would hold the interpreter it waits for."""
        if not self._first_painted:
            self._first_painted = True
            # Its refreshes before the app ran drew nothing: this one reaches the terminal.
            self.screen.refresh()
            self.screen.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        mark("first screen painted")
        freeze_what_is_built()  # the first screen and the imports: never walked by the collector
        self.session.start()
        self._start_fleet()
        self._prepare_other_screens()

    @work(thread=True, group="prepare", exit_on_error=False)
    def _prepare_other_screens(self) -> None:
        """Import the other screens' code while the person reads the first, so that their
        first visit costs only the building (a thread: imports hold no event-loop time)."""
        for entry in SCREENS[1:]:
            entry.prepare()

    def watch_theme(self, theme: str) -> None:
        if self._remember and self.is_attached:
            ui_state.remember(theme=theme)

    def _watch_signals(self) -> None:
        import asyncio
        import contextlib
        import signal

        # Not on Windows, nor outside the main thread (tests): then SIGTERM keeps its default.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)

    def _advance_tick(self) -> None:
        """The clock moves on, and wakes again when what it shows can next change."""
        self.tick = Tick(self.now(), self._monotonic())
        if self._tick_timer is not None:
            self._tick_timer.stop()
        self._tick_timer = self.set_timer(self._next_tick_in(), self._advance_tick)

    def _next_tick_in(self) -> float:
        """When the words on screen can next change (`next_change_in`): the data's age, the
        countdown to the next refresh, the clock's minute; a second while anything loads."""
        status, age = self.store.status, self.store.age_seconds()
        if status.loading or age is None:
            return 1.0
        now = self.tick.now
        to_next_minute = 60 - now.second - now.microsecond / 1e6
        next_at = self.plan.next_at
        countdown = None if next_at is None else max(0.0, next_at - self._monotonic())
        return next_change_in(age, countdown, to_next_minute)

    # Failures of any worker end up here, as an honest status.

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        error = worker.error
        what = {
            "refresh": "Fetching usage",
            "credentials": "Looking up the API key",
            "cache": "Reading the last good data from disk",
        }.get(worker.group, f"A background task ({worker.name or worker.group})")
        reason = f"{type(error).__name__}: {one_line(str(error), 160)}" if error else "unknown"
        message = f"{what} failed unexpectedly ({reason})"
        self.store.report_problem(message)
        if worker.group == "refresh":
            self.arm_next_refresh()
        elif worker.group == "credentials" and self.session.account.takes_keys:
            self.session.ask_for_key(self.session.account, reason=message)

    def watch_status(self, status: StoreStatus) -> None:
        settled = status.error is None and not status.loading
        self.session.key_refused(status.key_refused, status.error, settled)
        if not status.loading:
            self.session.place()

    async def on_unmount(self) -> None:
        await self.session.close()
        await self.fleet_service.close()
        thaw()  # for whatever runs in this process after the app (tests)

    # Refresh scheduling: one request at a time, the next armed when the last one ends.

    def start_refresh(self) -> None:
        self._cancel_timer()
        self._refresh_worker()

    @work(exclusive=True, exit_on_error=False, group="refresh")
    async def _refresh_worker(self) -> None:
        mark_each("refresh started")
        try:
            await self.store.refresh()
        finally:
            mark_each("refresh ended")
            self.arm_next_refresh()

    def arm_next_refresh(self) -> None:
        self._cancel_timer()
        plan = self.plan
        login_open = self.session.login_open
        if plan.paused or plan.interval <= 0 or not self.store.can_fetch or login_open:
            return
        delay = self.store.next_refresh_delay(plan.interval)
        self._timer = self.set_timer(delay, self.start_refresh)
        self.plan = RefreshPlan(plan.interval, plan.paused, self._monotonic() + delay)
        self._advance_tick()  # show the countdown now, not at the next second

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        if self.plan.next_at is not None:
            self.plan = RefreshPlan(self.plan.interval, self.plan.paused)

    def seconds_to_next_refresh(self) -> float | None:
        next_at = self.plan.next_at
        return None if next_at is None else max(0.0, next_at - self._monotonic())

    # Which keys act where

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = self.screen
        if action in DASHBOARD_ACTIONS and not getattr(screen, "IS_DASHBOARD", False):
            return False  # a dialog or the login screen is in front: the key is for it
        if action == "quit" and isinstance(screen, ModalScreen):
            return False  # `q` closes the help, it does not end the app under it
        # A key that types text belongs to the field that has (or is getting) the focus.
        typing = getattr(screen, "is_typing", False) or isinstance(screen.focused, Input)
        return not (action in TYPING_ACTIONS and typing)

    # Actions

    def action_show(self, mode: str) -> None:
        if mode == "accounts":  # every row's last good data in its first paint
            self.session.show_account_from_disk()
            self.fleet_service.read_disk_now()
        if mode in self.MODES and self.current_mode != mode:
            self.switch_mode(mode)

    def action_history_at_spike(self) -> None:
        """History at the day of the latest spike (today when there is none)."""
        spikes = self.store.figures.spikes
        day = spikes[-1].day if spikes else self.now().date()
        serial = self.history_request[0] + 1 if self.history_request else 1
        self.history_request = (serial, day)
        self.action_show("history")

    def action_refresh_now(self) -> None:
        if not self.store.can_fetch:
            return
        if self.store.status.loading:
            self.notify("Already fetching; one request at a time.", timeout=2)
            return
        now = self._monotonic()
        if now - self._last_manual < MIN_MANUAL_SPACING:
            return
        self._last_manual = now
        self.start_refresh()

    def action_toggle_pause(self) -> None:
        paused = not self.plan.paused
        self.plan = RefreshPlan(self.plan.interval, paused, self.plan.next_at)
        if paused:
            self._cancel_timer()
            self.notify("Live refresh paused; p resumes.", timeout=3)
        else:
            self.notify("Live refresh resumed.", timeout=3)
            if not self.store.status.loading:
                self.start_refresh()

    def action_cycle_currency(self) -> None:
        position = CURRENCY_CYCLE.index(self.currency)
        self.currency = CURRENCY_CYCLE[(position + 1) % len(CURRENCY_CYCLE)]

    def action_pick_period(self) -> None:
        from venice_tui.ui.screens.period import PeriodScreen

        self.push_screen(PeriodScreen(self.store.period, self.now().date()), self._period_chosen)

    def _period_chosen(self, period: Period | None) -> None:
        if period is None or period == self.store.period:
            return
        self.workers.cancel_group(self, "refresh")  # a request still out is for the old period
        self.store.set_period(period)
        if self._remember:
            ui_state.remember(period=period)
        if self.session.shown is not None:
            self.session.load_cached(self.session.shown, period)
        self.start_refresh()

    async def action_export(self) -> None:
        """The screen in front knows its table: the key is passed on to it."""
        await self.run_action("screen.export_view")

    def action_alert_log(self) -> None:
        self.desk.show_log()

    def action_set_budget(self, which: str) -> None:
        self.desk.ask_budget(which)

    def action_sync_ledger(self) -> None:
        self.ledger_service.sync_now()

    def action_switch_profile(self, profile: str) -> None:
        self.session.switch_profile(profile)

    def action_log_in(self) -> None:
        self.session.log_in()

    def action_help(self) -> None:
        from venice_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit_now(self) -> None:
        self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for entry in SCREENS:
            yield SystemCommand(
                entry.title,
                f"{entry.summary} ({entry.key})",
                lambda mode=entry.mode: self.action_show(mode),
            )
        for command in COMMANDS:
            if command.in_palette:
                title = command.palette_title or command.title
                if command.action == "toggle_pause":
                    title = "Resume live refresh" if self.plan.paused else "Pause live refresh"
                yield SystemCommand(
                    title,
                    f"{command.summary} ({command.display})",
                    lambda action=command.action: self.run_action(action),
                )
        yield from self.desk.commands()
        yield from self.ledger_service.commands()
        yield from self.session.commands()
