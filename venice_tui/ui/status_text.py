"""The always-visible status line, as plain data in, `Content` out (theme colours, no markup)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.content import Content

from venice_tui.core.domain import Period
from venice_tui.core.format import describe_age, describe_wait
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.store import Snapshot, StoreStatus

SOURCE_STYLES = {"live": "$text-success", "cached": "$text-warning", "demo": "$text-accent"}


@dataclass(frozen=True, slots=True)
class StatusView:
    status: StoreStatus
    snapshot: Snapshot | None
    paused: bool
    interval: int
    #: Seconds until the next scheduled refresh, None when none is armed.
    next_in: float | None
    age: float | None
    #: Older than two refresh intervals (`core.store.is_stale`).
    stale: bool
    today: date
    #: (name, error) of the account's slices: "balance", "keys", "limits".
    slice_errors: tuple[tuple[str, str | None], ...] = ()


def period_text(period: Period, today: date) -> str:
    if period.is_lookback:
        first, last = period.first_and_last(today)
        shape = "%b %d %Y" if first.year != last.year else "%b %d"
        return f"{period.label} ({first:{shape}} {GLYPHS.arrow} {last:{shape}} UTC)"
    return f"{period.label} UTC"


def render_status(view: StatusView) -> Content:
    parts: list[Content] = []
    period = view.status.period or (view.snapshot.period if view.snapshot else None)
    if period is not None:
        parts.append(Content.styled(period_text(period, view.today), "bold"))
    if view.snapshot is not None:
        source = view.snapshot.source.value
        pieces: list[str | tuple[str, str]] = [(source, SOURCE_STYLES.get(source, ""))]
        if view.age is not None:
            updated = f" {GLYPHS.dot} updated {describe_age(view.age)}"
            pieces.append((updated, "bold $text-warning") if view.stale else updated)
            if view.stale:
                pieces.append((f" {GLYPHS.dot} stale", "bold $text-warning"))
        if view.status.period is not None and view.snapshot.period != view.status.period:
            pieces.append((f" {GLYPHS.dot} showing {view.snapshot.period.label}", "$text-warning"))
        stitching = view.snapshot.analytics.stitching
        if stitching is not None and stitching.archived_days:
            days = len(view.snapshot.analytics.daily)
            pieces.append(
                f" {GLYPHS.dot} {stitching.archived_days} of {days} days from the archive"
            )
        parts.append(Content.assemble(*pieces))
    if view.status.loading:
        loading = view.status.progress or "loading"
        parts.append(Content.styled(f"{GLYPHS.loading} {loading}", "bold $text-accent"))
    elif view.status.awaiting_key:
        parts.append(Content.styled("no key yet", "$text-warning"))
    elif view.paused:
        parts.append(Content.styled(f"{GLYPHS.paused} paused", "bold $text-warning"))
    elif view.interval == 0:
        parts.append(Content.styled("auto-refresh off", "dim"))
    elif view.next_in is not None:
        label = "retry in" if view.status.error else "next in"
        parts.append(Content(f"{label} {describe_wait(view.next_in)}"))
    failed = [name for name, error in view.slice_errors if error]
    if failed:
        parts.append(
            Content.styled(f"{GLYPHS.warn} {', '.join(failed)} unavailable", "$text-warning")
        )
    line = Content.styled(GLYPHS.separator, "dim").join(parts)
    if view.status.error:
        when = f" at {view.status.error_at:%H:%M:%S} UTC" if view.status.error_at else ""
        error = f"{GLYPHS.cross} {view.status.error_kind}{when}: {view.status.error}"
        line = Content.assemble(line, "\n", (error, "bold $text-error"))
    return line
