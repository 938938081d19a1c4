"""The status line at the bottom of every dashboard screen: one line, two when there is an error.

It watches the app's state (data, status, clock, refresh plan) and redraws itself; the clock
ticks once a second, under dialogs too.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from venice_tui.core.store import is_stale
from venice_tui.ui.host import host
from venice_tui.ui.status_text import StatusView, render_status


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 2; width: 1fr; padding: 0 1; background: $panel; color: $text; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._text = Content("")

    def on_mount(self) -> None:
        for name in ("snapshot", "status", "tick", "plan", "account"):
            self.watch(self.app, name, self.update_status, init=False)
        self.update_status()

    def view(self) -> StatusView:
        state = host(self)
        tick, plan, snapshot = state.tick, state.plan, state.snapshot
        age = (
            max(0.0, (tick.now - snapshot.fetched_at).total_seconds())
            if snapshot is not None
            else None
        )
        next_in = None if plan.next_at is None else max(0.0, plan.next_at - tick.monotonic)
        return StatusView(
            status=state.status,
            snapshot=snapshot,
            paused=plan.paused,
            interval=plan.interval,
            next_in=next_in,
            age=age,
            stale=is_stale(age, plan.interval),
            today=tick.now.date(),
            slice_errors=(
                ("balance", state.account.balance.error),
                ("keys", state.account.keys.error),
            )
            if not state.account.inference_key
            else (),
        )

    def view_text(self) -> str:
        """What the line says now, as plain text."""
        return render_status(self.view()).plain

    def update_status(self) -> None:
        """Recompute the text; redraw only when it changed, re-layout only when its height did."""
        text = render_status(self.view())
        if text.is_same(self._text):
            return
        height_changed = text.plain.count("\n") != self._text.plain.count("\n")
        self._text = text
        self.refresh(layout=height_changed)

    def render(self) -> RenderResult:
        return self._text
