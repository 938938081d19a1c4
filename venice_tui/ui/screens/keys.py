"""API Keys: every key of the account with its usage, type, limit and use of it, last use and
expiry; keys near or at a limit are coloured (and say so in words); top keys' daily lines."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from venice_tui.core import format as fmt
from venice_tui.core.account_state import Slice
from venice_tui.core.budgets import Finding
from venice_tui.core.domain import ApiKeyInfo
from venice_tui.core.export_rows import key_table
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.key_rows import KeyView, join_keys
from venice_tui.core.money import PERIOD_WORDS, describe_duration
from venice_tui.core.store import Snapshot
from venice_tui.ui.charts.specs import no_lines_text, top_series_lines
from venice_tui.ui.exporting import TableSource
from venice_tui.ui.host import host
from venice_tui.ui.screens.table_screen import TableScreen
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import Column, DataGrid, GridRow, flagged, tone_of
from venice_tui.ui.widgets.filter_bar import FilterBar
from venice_tui.ui.widgets.money_tiles import bar, unavailable

COLUMNS = (
    Column("description", "Key", flex=True),
    Column("type", "Type", priority=3),
    Column("usd", "USD", numeric=True, descending=True),
    Column("diem", "DIEM", numeric=True, descending=True, priority=2),
    Column("share", "Share", numeric=True, descending=True, priority=4),
    Column("limit", "Limit", numeric=True, descending=True, priority=1),
    Column("used", "Used", numeric=True, descending=True, priority=1),
    Column("last", "Last used", numeric=True, descending=True, priority=5),
    Column("expires", "Expires", numeric=True, priority=6),
    Column("id", "Id", priority=7),
)
PERIOD_SHORT = {"EPOCH": "day", "MONTH": "mo", "LIFETIME": "life"}
NEVER = float("inf")


class KeysScreen(TableScreen):
    MODE = "keys"
    EXTRAS = ("account", "findings")
    TITLE = "API Keys"

    def __init__(self) -> None:
        super().__init__()
        self._views: dict[str, KeyView] = {}
        self._total = 0.0

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="table-row"):
            with Vertical(id="table-pane"):
                yield FilterBar("#keys-table")
                yield DataGrid(
                    COLUMNS, "share", id="keys-table", empty_text="No key matches the filter."
                )
            with Vertical(id="detail-pane"):
                yield Static("", id="detail")
        yield ChartView(id="series-chart")

    def redraw_extras(self, snapshot: Snapshot) -> None:
        self.fill_table(snapshot)

    def fill_table(self, snapshot: Snapshot) -> None:
        keys_slice = host(self).account.keys
        now = host(self).tick.now
        views = join_keys(snapshot.analytics.keys, keys_slice.value, now)
        self._total = snapshot.analytics.totals.spend
        self._views = {v.row_key: v for v in views}
        findings = host(self).findings
        self.grid.set_rows([_row(v, self._total, now, findings) for v in views])
        self.show_detail(self.grid.selected_key)

    def export_table(self) -> TableSource:
        views = [self._views[row.key] for row in self.grid.rows if row.key in self._views]
        total = self._total
        return lambda: key_table(views, total)

    def draw_series(self, snapshot: Snapshot) -> None:
        series = snapshot.analytics.key_series
        spec = top_series_lines(series, "keys", host(self).currency)
        self.series_chart().show(spec, no_lines_text(series, "keys"))

    def show_detail(self, row_key: str | None) -> None:
        view = self._views.get(row_key) if row_key else None
        detail = self.query_one("#detail", Static)
        if view is None:
            detail.update(Content.styled("No key matches the filter.", "dim"))
            return
        keys_slice = host(self).account.keys
        detail.update(_detail(view, self._total, host(self).tick.now, keys_slice))


def _limit_text(info: ApiKeyInfo | None) -> str:
    if info is None or not info.has_limit:
        return GLYPHS.dash
    per = PERIOD_SHORT.get(info.limit_period, info.limit_period.lower())
    parts = []
    if info.limit_usd is not None:
        parts.append(f"{fmt.usd(info.limit_usd)}/{per}")
    if info.limit_diem is not None:
        parts.append(f"{fmt.diem(info.limit_diem)} DIEM/{per}")
    return " + ".join(parts)


def _used_text(info: ApiKeyInfo | None) -> str:
    use = info.limit_use if info else None
    if use is None:
        return GLYPHS.dash
    return f"{bar(use, 5)} {fmt.percent(use, 1.0)}"


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    return f"{describe_duration(now - moment)} ago"


def _type_text(view: KeyView) -> str:
    if view.is_web_app:
        return "web app"
    if view.deleted:
        return "deleted"
    if view.info is None:
        return GLYPHS.dash
    return {"INFERENCE": "infer."}.get(view.info.key_type, view.info.key_type.lower())


def _row(view: KeyView, total: float, now: datetime, findings: tuple[Finding, ...] = ()) -> GridRow:
    usage, info = view.usage, view.info
    expires = info.expires_at if info else None
    last = info.last_used_at if info else None
    budget_tone = tone_of(findings, f"key:{view.key_id}:") if view.key_id else ""
    worst = (
        "error" if "error" in (budget_tone, view.health.tone) else budget_tone or view.health.tone
    )
    tone = worst or ("dim" if usage is None or view.deleted else "")
    return GridRow(
        key=view.row_key,
        cells=(
            flagged(view.description, worst),
            _type_text(view),
            fmt.usd(usage.usd) if usage else GLYPHS.dash,
            fmt.diem(usage.diem) if usage else GLYPHS.dash,
            fmt.share(view.spend, total) if usage else GLYPHS.dash,
            _limit_text(info),
            _used_text(info),
            _ago(last, now) if info else GLYPHS.dash,
            f"in {describe_duration(expires - now)}" if expires else GLYPHS.dash,
            fmt.short_id(view.key_id),
        ),
        sort_values=(
            view.description.lower(),
            _type_text(view),
            usage.usd if usage else -1.0,
            usage.diem if usage else -1.0,
            view.spend if usage else -1.0,
            max(info.limit_usd or 0.0, info.limit_diem or 0.0) if info and info.has_limit else -1.0,
            info.limit_use if info and info.limit_use is not None else -1.0,
            -(now - last).total_seconds() if last else -NEVER,
            (expires - now).total_seconds() if expires else NEVER,
            view.key_id or "",
        ),
        search_text=f"{view.description} {view.key_id or 'web app'} {_type_text(view)}".lower(),
        tone=tone,
    )


def _detail(
    view: KeyView, total: float, now: datetime, keys: Slice[tuple[ApiKeyInfo, ...]]
) -> Content:
    """Built from plain strings: descriptions and ids are shown as sent, never parsed."""
    usage, info = view.usage, view.info
    ident = "usage from Venice's web app" if view.is_web_app else f"id {view.key_id}"
    parts: list[str | tuple[str, str]] = [(view.description, "bold"), (f"\n{ident}", "dim")]
    if view.deleted:
        parts.append(("\ndeleted: no longer in the account's key list", "$text-warning"))
    for words in view.health.words:
        style = "$text-error" if view.health.tone == "error" else "$text-warning"
        parts.append((f"\n{GLYPHS.warn} {words}", f"bold {style}"))
    if usage is None:
        parts.append(("\n\nNo usage in this period.", "dim"))
    else:
        parts.append(
            f"\n\n{fmt.usd(usage.usd)} USD {GLYPHS.dot} {fmt.diem(usage.diem)} DIEM"
            f"\n{fmt.share(usage.spend, total)} of the period's USD + DIEM"
        )
    if info is not None:
        parts.append(f"\n\nType {info.key_type.lower()}")
        if info.has_limit:
            period = PERIOD_WORDS.get(info.limit_period, info.limit_period.lower())
            parts.append(f"\nLimit {_limit_text(info)} ({period})")
            used = [
                f"{fmt.usd(info.used_usd)}" if info.used_usd is not None else "",
                f"{fmt.diem(info.used_diem)} DIEM" if info.used_diem is not None else "",
            ]
            parts.append(f"\nUsed {' + '.join(u for u in used if u)}  {_used_text(info)}")
        else:
            parts.append("\nNo spending limit")
        parts.append(f"\nLast used {_ago(info.last_used_at, now)}")
        if info.expires_at:
            parts.append(f"\nExpires {info.expires_at:%Y-%m-%d %H:%M} UTC")
        if info.created_at:
            parts.append((f"\nCreated {info.created_at:%Y-%m-%d}", "dim"))
    elif not view.is_web_app and keys.value is None:
        parts.append((f"\n\nKey details: {unavailable(keys)}", "dim"))
    return Content.assemble(*parts)
