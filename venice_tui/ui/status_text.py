"""The always-visible status line, as plain data in, Rich text out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text

from venice_tui.api.period import Period
from venice_tui.core.format import describe_age, describe_wait
from venice_tui.core.store import Snapshot, StoreStatus


@dataclass(frozen=True, slots=True)
class StatusView:
    status: StoreStatus
    snapshot: Snapshot | None
    paused: bool
    interval: int
    #: Seconds until the next scheduled refresh, None when none is armed.
    next_in: float | None
    age: float | None
    #: Older than two refresh intervals (`UsageStore.is_stale`).
    stale: bool
    today: date


def period_text(period: Period, today: date) -> str:
    if period.is_lookback:
        first, last = period.first_and_last(today)
        return f"{period.label} ({first:%b %d} → {last:%b %d} UTC)"
    return f"{period.label} UTC"


def render_status(view: StatusView) -> Text:
    parts: list[Text] = []
    period = view.status.period or (view.snapshot.period if view.snapshot else None)
    if period is not None:
        parts.append(Text(period_text(period, view.today), style="bold"))
    if view.snapshot is not None:
        source = view.snapshot.source.value
        style = {"live": "green", "cached": "yellow", "demo": "cyan"}.get(source, "")
        data = Text(source, style=style)
        if view.age is not None:
            data.append(
                f" · updated {describe_age(view.age)}", style="bold yellow" if view.stale else ""
            )
            if view.stale:
                data.append(" · stale", style="bold yellow")
        if view.snapshot.period != view.status.period and view.status.period is not None:
            data.append(f" · showing {view.snapshot.period.label}", style="yellow")
        parts.append(data)
    if view.status.loading:
        parts.append(Text("⟳ loading", style="bold cyan"))
    elif view.paused:
        parts.append(Text("⏸ paused", style="bold yellow"))
    elif view.interval == 0:
        parts.append(Text("auto-refresh off", style="dim"))
    elif view.next_in is not None:
        label = "retry in" if view.status.error else "next in"
        parts.append(Text(f"{label} {describe_wait(view.next_in)}"))
    line = Text(" │ ", style="dim").join(parts)
    if view.status.error:
        when = f" at {view.status.error_at:%H:%M:%S} UTC" if view.status.error_at else ""
        line.append("\n")
        line.append(f"✗ {view.status.error_kind}{when}: {view.status.error}", style="bold red")
    return line
