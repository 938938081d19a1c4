"""What every dashboard screen shares: the nav bar, the state panels, the status line, the footer.

Screens never fetch. They watch the app's `snapshot` and `status` and redraw only while visible;
a screen that was hidden when data changed catches up when it is shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, LoadingIndicator, Static

from venice_tui.core.format import describe_wait
from venice_tui.core.store import Snapshot, StoreStatus
from venice_tui.ui.status_text import period_text
from venice_tui.ui.widgets.footer import CoalescingFooter
from venice_tui.ui.widgets.nav import NavBar
from venice_tui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from venice_tui.ui.app import VeniceApp


class DashboardScreen(Screen[None]):
    MODE: ClassVar[str] = ""
    #: Paint the screen's frame before filling it, so a big table does not stall the switch
    #: that opens it (the fill follows one frame later).
    FILL_AFTER_FIRST_PAINT: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self._shown_version: int | None = None
        self._shown_state: str | None = None

    @property
    def venice(self) -> VeniceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield NavBar(self.MODE)
        with ContentSwitcher(initial="state-loading", id="states"):
            with Vertical(id="state-loading", classes="state"):
                yield Static("", id="loading-message", classes="state-message")
            yield Static("", id="state-empty", classes="state state-message")
            yield Static("", id="state-error", classes="state state-message")
            with Container(id="state-content"):
                yield from self.compose_content()
        yield StatusLine()
        yield CoalescingFooter()
        yield Static("", id="too-small")

    def show_too_small(self, width: int, height: int) -> None:
        self.query_one("#too-small", Static).update(
            f"[b]Terminal too small[/b]\n\n{width}×{height}: venice-tui needs at least 80×24.\n"
            "Make the window larger; q quits."
        )

    def compose_content(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "snapshot", self._data_changed, init=False)
        self.watch(self.app, "status", self._data_changed, init=False)
        if self.FILL_AFTER_FIRST_PAINT:
            self.call_after_refresh(self.sync)
        else:
            self.sync()

    def on_resize(self, event: events.Resize) -> None:
        self.venice.fit_to_size(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        self.show_too_small(self.app.size.width, self.app.size.height)
        self.sync()

    def _data_changed(self) -> None:
        if self.is_current:
            self.sync()

    def sync(self) -> None:
        """Show the state that matches the data, and the data when it is new to this screen."""
        snapshot, status = self.venice.snapshot, self.venice.status
        state = _state_for(snapshot, status)
        self._update_state_panels(state, snapshot, status)
        if (
            state == "state-content"
            and snapshot is not None
            and snapshot.version != self._shown_version
        ):
            self._shown_version = snapshot.version
            with self.app.batch_update():
                self.show_snapshot(snapshot)
        if self._shown_state != state:
            self._shown_state = state
            self.query_one("#states", ContentSwitcher).current = state
            self._animate_loading(state == "state-loading")
        self.query_one(StatusLine).update_status()

    def _update_state_panels(
        self, state: str, snapshot: Snapshot | None, status: StoreStatus
    ) -> None:
        today = self.venice.now().date()
        period = status.period or (snapshot.period if snapshot else None)
        label = period_text(period, today) if period else ""
        if state == "state-loading":
            self.query_one("#loading-message", Static).update(
                f"Fetching usage for {label} from Venice…"
            )
        elif state == "state-empty" and snapshot is not None:
            self.query_one("#state-empty", Static).update(
                f"[b]No usage in this period[/b]\n\n{period_text(snapshot.period, today)}\n\n"
                "[dim]Press d to pick another period, r to refresh.[/dim]"
            )
        elif state == "state-error":
            next_in = self.venice.seconds_to_next_refresh()
            retry = f"Retrying in {describe_wait(next_in)}. " if next_in is not None else ""
            self.query_one("#state-error", Static).update(
                f"[b]Could not load usage for {label}[/b]\n\n{escape(status.error or '')}\n\n"
                f"[dim]{retry}Press r to retry now, d to change the period, ? for help.[/dim]"
            )

    def _animate_loading(self, on: bool) -> None:
        """The spinner exists only while shown: it redraws 16 times a second, even hidden."""
        spinners = self.query(LoadingIndicator)
        if on and not spinners:
            self.query_one("#state-loading").mount(LoadingIndicator(), before=0)
        elif not on:
            spinners.remove()

    def tick(self) -> None:
        """Once a second: the status line's clock, and the error panel's retry countdown."""
        self.query_one(StatusLine).update_status()
        if self._shown_state == "state-error":
            snapshot, status = self.venice.snapshot, self.venice.status
            self._update_state_panels("state-error", snapshot, status)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw `snapshot` into this screen's widgets (called only when it changed)."""
        raise NotImplementedError


def _state_for(snapshot: Snapshot | None, status: StoreStatus) -> str:
    if snapshot is None:
        return "state-error" if status.error and not status.loading else "state-loading"
    if snapshot.analytics.is_empty:
        return "state-empty"
    return "state-content"
