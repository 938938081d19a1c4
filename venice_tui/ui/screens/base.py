"""What every dashboard screen shares: the nav bar, the state panels, the status line, the keys.

Screens never fetch and never call into the app. They watch its state (`ui.host`) and redraw
only while visible; a screen that was hidden when data changed catches up when shown again.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, LoadingIndicator, Static

from venice_tui.core.export import ExportSpan
from venice_tui.core.format import describe_wait
from venice_tui.core.store import Snapshot, StoreStatus
from venice_tui.ui.exporting import ExportOffer, ScreenExport, TableSource
from venice_tui.ui.host import host
from venice_tui.ui.status_text import period_text
from venice_tui.ui.typeahead import TypeAhead
from venice_tui.ui.widgets.key_bar import KeyBar, KeyHint
from venice_tui.ui.widgets.nav import NavBar
from venice_tui.ui.widgets.status_line import StatusLine

MIN_WIDTH, MIN_HEIGHT = 80, 24


class DashboardScreen(TypeAhead, Screen[None]):
    MODE: ClassVar[str] = ""
    #: Keys of this screen shown in the key bar: (key, title, action).
    KEY_HINTS: ClassVar[tuple[KeyHint, ...]] = ()
    #: Dashboard actions of the app (screen keys, refresh, period…) apply on these screens only.
    IS_DASHBOARD: ClassVar[bool] = True
    #: Focus is set by the screen itself, on mount, to what the keys are for.
    AUTO_FOCUS = None
    #: App state drawn beside the snapshot (the account, budgets, findings): a change redraws
    #: it through `redraw_extras` now if visible, else when the screen is shown again.
    EXTRAS: ClassVar[tuple[str, ...]] = ()
    #: Paint the screen's frame before filling it, so a big table does not stall the switch
    #: that opens it (the fill follows one frame later).
    FILL_AFTER_FIRST_PAINT: ClassVar[bool] = False

    class Painted(Message):
        """The screen's first frame is on the terminal (the app starts its slower work then)."""

    def __init__(self) -> None:
        super().__init__()
        self._shown_version: int | None = None
        self._shown_state: str | None = None
        self._extras_stale = False
        self._export = ScreenExport(self)

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        # The panel the data calls for from the first frame: a screen opened over data never
        # shows (and never mounts) the loading spinner for one frame first.
        state = host(self)
        with ContentSwitcher(initial=self.panel_for(state.snapshot, state.status), id="states"):
            with Vertical(id="state-loading", classes="state"):
                yield Static("", id="loading-message", classes="state-message")
            yield Static("", id="state-empty", classes="state state-message")
            yield Static("", id="state-error", classes="state state-message")
            with Container(id="state-content"):
                yield from self.compose_content()
        yield StatusLine()
        yield KeyBar(self.KEY_HINTS)
        yield Static("", id="too-small")

    def compose_content(self) -> ComposeResult:
        raise NotImplementedError

    def export_table(self) -> TableSource | None:
        """What this screen exports as CSV or JSON; None: only a picture (SVG)."""
        return None

    def export_words(self) -> str:
        """What the CSV and JSON hold, in a few words, for the dialog."""
        return "the table as filtered and sorted"

    def export_filter(self) -> str:
        return ""

    def export_span(self) -> ExportSpan | None:
        """What the rows cover, when it is not the period (History: the hours shown)."""
        return None

    def action_export_view(self) -> None:
        title = self.title or self.TITLE or self.MODE
        table = self.export_table()
        words, filter_text, span = self.export_words(), self.export_filter(), self.export_span()
        offer = ExportOffer(self.MODE, title, table, words, filter_text, span)
        self._export.open(offer)

    def on_mount(self) -> None:
        for name in ("snapshot", "status"):
            self.watch(self.app, name, self._data_changed, init=False)
        self.watch(self.app, "tick", self._ticked, init=False)
        self.watch(self.app, "plan", self._ticked, init=False)
        for name in self.EXTRAS:
            self.watch(self.app, name, self._extras_changed, init=False)
        if self.FILL_AFTER_FIRST_PAINT:
            self.call_after_refresh(self.sync)
        else:
            self.sync()
        self.call_after_refresh(self.post_message, self.Painted())

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        self.query_one("#too-small", Static).update(
            Content.assemble(
                ("Terminal too small", "bold"),
                f"\n\n{width}×{height}: venice-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Make the window larger; q quits.",
            )
        )

    def on_screen_resume(self) -> None:
        self.sync()
        if self._extras_stale:
            self._extras_changed()

    def _extras_changed(self) -> None:
        self._extras_stale = not self.is_current
        if self.is_current:
            self.extras_changed()

    def extras_changed(self) -> None:
        """What comes from `EXTRAS` changed and this screen is shown: `redraw_extras` over the
        snapshot on screen, once it has drawn one."""
        snapshot = host(self).snapshot
        if snapshot is not None and self._shown_version == snapshot.version:
            self.redraw_extras(snapshot)

    def redraw_extras(self, snapshot: Snapshot) -> None:
        """Redraw what comes from `EXTRAS` (the snapshot shown is `snapshot`)."""

    def _data_changed(self) -> None:
        if self.is_current:
            self.sync()

    def _ticked(self) -> None:
        if self.is_current and self._shown_state == "state-error":
            state = host(self)
            self._update_state_panels("state-error", state.snapshot, state.status)

    @property
    def is_up_to_date(self) -> bool:
        """Whether what this screen shows is the app's current data (tests and screenshots
        wait for it before they look)."""
        snapshot = host(self).snapshot
        if snapshot is None or self.panel_for(snapshot, host(self).status) != "state-content":
            return self._shown_state is not None
        return self._shown_version == snapshot.version

    def panel_for(self, snapshot: Snapshot | None, status: StoreStatus) -> str:
        """The panel the usage's state calls for: loading, empty, error, or this screen's
        content (a screen may show its content without usage: the Overview does for an
        INFERENCE key)."""
        return _panel_for(snapshot, status)

    def sync(self) -> None:
        """Show the state that matches the data, and the data when it is new to this screen
        (`show_snapshot`). A screen that shows other data than the usage snapshot says so here."""
        state = host(self)
        snapshot, status = state.snapshot, state.status
        panel = self.panel_for(snapshot, status)
        self._update_state_panels(panel, snapshot, status)
        if (
            panel == "state-content"
            and snapshot is not None
            and snapshot.version != self._shown_version
        ):
            self._shown_version = snapshot.version
            with self.app.batch_update():
                self.show_snapshot(snapshot)
        if self._shown_state != panel:
            self._shown_state = panel
            self.query_one("#states", ContentSwitcher).current = panel
            self._animate_loading(panel == "state-loading")

    def _update_state_panels(
        self, panel: str, snapshot: Snapshot | None, status: StoreStatus
    ) -> None:
        today = host(self).tick.now.date()
        period = status.period or (snapshot.period if snapshot else None)
        label = period_text(period, today) if period else ""
        if panel == "state-loading":
            text = (
                "Looking for your API key…"
                if status.awaiting_key
                else f"Fetching usage for {label} from Venice…"
            )
            self.query_one("#loading-message", Static).update(Content(text))
        elif panel == "state-empty" and snapshot is not None:
            self.query_one("#state-empty", Static).update(
                Content.assemble(
                    ("No usage in this period", "bold"),
                    f"\n\n{period_text(snapshot.period, today)}\n\n",
                    ("Press d to pick another period, r to refresh.", "dim"),
                )
            )
        elif panel == "state-error":
            plan, tick = host(self).plan, host(self).tick
            next_in = None if plan.next_at is None else max(0.0, plan.next_at - tick.monotonic)
            retry = f"Retrying in {describe_wait(next_in)}. " if next_in is not None else ""
            self.query_one("#state-error", Static).update(
                Content.assemble(
                    (f"Could not load usage for {label}", "bold"),
                    f"\n\n{status.error or ''}\n\n",
                    (f"{retry}Press r to retry now, d to change the period, ? for help.", "dim"),
                )
            )

    def _animate_loading(self, on: bool) -> None:
        """The spinner exists only while shown: it redraws 16 times a second, even hidden."""
        spinners = self.query(LoadingIndicator)
        if on and not spinners:
            self.query_one("#state-loading").mount(LoadingIndicator(), before=0)
        elif not on:
            spinners.remove()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw `snapshot` into this screen's widgets (called by `sync`, only when it changed)."""
        raise NotImplementedError


def _panel_for(snapshot: Snapshot | None, status: StoreStatus) -> str:
    if snapshot is None:
        return "state-error" if status.error and not status.loading else "state-loading"
    if snapshot.analytics.is_empty:
        return "state-empty"
    return "state-content"
