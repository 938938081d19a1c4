"""`4` History: the per-request ledger from the local archive. The rows of the last 24 hours or
of one day (`[` `]`), filtered and sorted in SQL and paged in as they scroll (a million rows
stay smooth), the totals of what the filter shows, spend by the hour, and cost per unit per
SKU. It reads the archive on worker threads and never talks to Venice itself."""

from __future__ import annotations

from array import array
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from venice_tui.core import format as fmt
from venice_tui.core.export import ExportSpan, ExportTable
from venice_tui.core.export_rows import ledger_span, ledger_table
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.local_archive import (
    DAY_MS,
    Archive,
    ArchiveError,
    LedgerLine,
    LedgerPage,
    LedgerScope,
    LedgerTotals,
    LedgerView,
    QueryStopped,
    SortKey,
    ledger_page,
    lines,
)
from venice_tui.core.store import Snapshot, StoreStatus
from venice_tui.ui.charts.spec import ChartSpec, Series
from venice_tui.ui.charts.specs import DIEM_COLOR, USD_COLOR
from venice_tui.ui.collector import collect_if_due, freeze_what_is_built, thaw
from venice_tui.ui.exporting import TableSource
from venice_tui.ui.host import host
from venice_tui.ui.screens.grid_screen import GridScreen
from venice_tui.ui.screens.history_text import describe_line, ledger_summary, sku_table
from venice_tui.ui.widgets.chart import ChartView
from venice_tui.ui.widgets.data_grid import Column, GridRow
from venice_tui.ui.widgets.filter_bar import FilterBar
from venice_tui.ui.widgets.key_bar import KeyHint
from venice_tui.ui.widgets.lazy_grid import LazyGrid, LazyRows

COLUMNS = (
    Column("time", "Time (UTC)", descending=True),
    Column("sku", "SKU", flex=True),
    Column("currency", "Paid in", priority=3),
    Column("charged", "Charged", numeric=True, descending=True),
    Column("units", "Units", numeric=True, descending=True, priority=2),
    Column("tokens", "Tokens in/out", numeric=True, priority=4),
    Column("exec", "Time", numeric=True, priority=5),
    Column("request", "Request", priority=6),
)
WIDTHS = (19, 30, 9, 12, 12, 14, 8, 20)
SORTABLE: dict[str, SortKey] = {
    "time": "time",
    "sku": "sku",
    "currency": "currency",
    "charged": "charged",
    "units": "units",
}
#: Seconds a query runs before the screen says it is under way.
BUSY_AFTER = 0.1
#: Seconds without a new page after which the garbage collector's full walk runs.
QUIET_AFTER = 1.5
#: Rows read per query while exporting (SQLite's limit on `?` parameters is far above).
EXPORT_BATCH = 900


def scope_label(scope: LedgerScope) -> str:
    if scope.day is None:
        return "the last 24 hours"
    if scope.hour is not None:
        return f"{scope.day:%a %b %d} {scope.hour:02d}:00{GLYPHS.dash}{scope.hour + 1:02d}:00 UTC"
    return f"{scope.day:%a %b %d %Y} (UTC)"


class HistoryScreen(GridScreen):
    """Shows the archive, not the usage snapshot: its content is up whatever the usage's state,
    and it asks the archive again when the ledger changed or a day was asked for."""

    MODE = "history"
    EXTRAS = ("ledger", "history_request")
    KEY_HINTS: ClassVar[tuple[KeyHint, ...]] = (
        *GridScreen.KEY_HINTS,
        ("[ ]", "Day", "screen.previous_day"),
        ("t", "24 h", "screen.last_day"),
        ("H", "Peak hour", "screen.peak_hour"),
        ("y", "Sync", "app.sync_ledger"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "shift_day(-1)", "Day before", show=False),
        Binding("right_square_bracket", "shift_day(1)", "Day after", show=False),
        Binding("t", "last_day", "Last 24 hours", show=False),
        Binding("H", "peak_hour", "The day's busiest hour", show=False),
        Binding("y", "app.sync_ledger", "Sync the ledger now", show=False),
    ]

    class PageRead(Message, bubble=False):
        """The archive answered a query (on the worker thread that asked it)."""

        def __init__(self, page: LedgerPage, generation: int) -> None:
            super().__init__()
            self.page, self.generation = page, generation

    class QueryFailed(Message, bubble=False):
        """The archive could not be read (in words)."""

        def __init__(self, reason: str, generation: int) -> None:
            super().__init__()
            self.reason, self.generation = reason, generation

    def __init__(self) -> None:
        super().__init__()
        self.scope = LedgerScope()
        self.view = LedgerView()
        #: What is on screen (None until the first answer).
        self.page: LedgerPage | None = None
        #: The page whose totals, cost per SKU and chart are on screen.
        self._figures_of: LedgerPage | None = None
        self._summary: Content | None = None
        self._detail: LedgerLine | None = None
        self._detail_drawn = False
        self._quiet_timer: Timer | None = None
        self._lines: dict[int, LedgerLine] = {}
        self._shown_ledger = -1
        self._loaded = False
        #: The last `history_request` acted on.
        self._honored: tuple[int, date] | None = None
        #: Counts the queries asked: only the newest one's answer is shown, older ones stop.
        self._generation = 0
        self._answered = 0
        self._busy_timer: Timer | None = None
        #: What the summary says is under way ("filtering"), once a query takes a while.
        self._busy: str | None = None

    def compose_content(self) -> ComposeResult:
        with Horizontal(id="history-body"):
            with Vertical(id="history-main"):
                yield Static("", id="history-summary")
                yield FilterBar("#ledger")
                yield LazyGrid(COLUMNS, "time", id="ledger", empty_text="no ledger rows here")
                yield ChartView(id="hourly-chart")
            with Vertical(id="history-side"):
                yield Static("", id="history-totals")
                yield Static("", id="history-skus")
                yield Static("", id="detail")

    def on_mount(self) -> None:
        super().on_mount()
        freeze_what_is_built()

    def on_unmount(self) -> None:
        thaw()

    @property
    def grid(self) -> LazyGrid:
        return self.query_one(LazyGrid)

    # The archive's state, not the usage's

    def panel_for(self, snapshot: Snapshot | None, status: StoreStatus) -> str:
        return "state-content"

    def sync(self) -> None:
        request = host(self).history_request
        if self._shown_ledger != host(self).ledger.version or request != self._honored:
            self.redraw_ledger()

    def extras_changed(self) -> None:
        self.redraw_ledger()

    @property
    def is_up_to_date(self) -> bool:
        return (
            self._loaded
            and self._answered == self._generation
            and self._shown_ledger == host(self).ledger.version
            and (self.page is None or self._figures_of is self.page)
        )

    def redraw_ledger(self) -> None:
        request = host(self).history_request
        state = host(self).ledger
        if request is not None and request != self._honored:
            self._honored = request
            self.scope = LedgerScope(request[1])
        elif self._shown_ledger == state.version and self._loaded:
            return
        elif state.syncing and self._loaded and self.grid.visible_count:
            # A walk under way: the summary follows it; the rows are asked again when it ends,
            # not at every page (the person may be reading them).
            self._shown_ledger = state.version
            if self.page is not None:
                self._summarize()
            return
        self._shown_ledger = state.version
        self.query_again()

    # Querying

    def query_again(self, doing: str = "reading") -> None:
        """Ask the archive for the page of the scope and view; the query under way, if any,
        stops (its answer would never be shown). After `BUSY_AFTER` the screen says `doing`."""
        archive = host(self).archive
        if archive is None:
            self._set_summary(Content.styled("No archive for this account.", "dim"))
            return
        self._generation += 1
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._busy_timer = self.set_timer(BUSY_AFTER, partial(self._show_busy, doing))
        now_ms = int(host(self).tick.now.timestamp() * 1000)
        # Not `@work` with these arguments: it names the worker by their repr, and the previous
        # page's is every id of its rows (4-13 ms of the event loop per keystroke, measured).
        read = partial(
            self._read_page, archive, self.scope, self.view, now_ms, self._generation, self.page
        )
        self.run_worker(
            read, name="history-query", group="history-query", thread=True, exit_on_error=False
        )

    def _show_busy(self, doing: str) -> None:
        self._busy = doing
        self._summarize()

    def _done(self, generation: int) -> None:
        self._answered = generation
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self._busy = None

    def _read_page(
        self,
        archive: Archive,
        scope: LedgerScope,
        view: LedgerView,
        now: int,
        generation: int,
        previous: LedgerPage | None,
    ) -> None:
        def wanted() -> bool:
            return self._generation == generation

        try:
            page = archive.read(
                partial(ledger_page, scope=scope, view=view, now_ms=now, previous=previous),
                wanted,
            )
        except QueryStopped:
            return  # a newer query was asked; its answer follows
        except ArchiveError as exc:
            self.post_message(self.QueryFailed(str(exc), generation))
            return
        self.post_message(self.PageRead(page, generation))

    @on(QueryFailed)
    def _failed(self, event: QueryFailed) -> None:
        if event.generation != self._generation:
            return
        self._done(event.generation)
        self._set_summary(Content.styled(f"{GLYPHS.cross} {event.reason}", "bold $text-error"))
        self._loaded = True

    @on(PageRead)
    def _show(self, event: PageRead) -> None:
        if event.generation != self._generation:
            return  # a newer query was asked meanwhile: this answer is stale
        self._done(event.generation)
        page = event.page
        self.page, self.view = page, page.view
        self._lines = {line.id: line for line in page.head}
        self.grid.new_rows(len(page.ids), WIDTHS, [_row(line) for line in page.head])
        self._summarize()
        # The figures beside and under the rows are drawn in the next frame: one frame that
        # drew the rows, the totals, cost per SKU and the chart at once held the event loop
        # twice as long as each of the two does (the rows are what the keystroke waits for).
        self.call_after_refresh(self._draw_figures, page)
        if not self._loaded:
            self.call_after_refresh(freeze_what_is_built)
        self._loaded = True

    def _draw_figures(self, page: LedgerPage) -> None:
        if page is not self.page:
            return  # a newer page came meanwhile: its own figures follow
        drawn, self._figures_of = self._figures_of, page
        if drawn is None or (drawn.shown, drawn.view.text) != (page.shown, page.view.text):
            self.query_one("#history-totals", Static).update(
                _totals_text(page.shown, page.view.text)
            )
        if drawn is None or drawn.skus != page.skus:
            self.query_one("#history-skus", Static).update(sku_table(list(page.skus)))
        self._draw_hours(page)
        # Once the keys stop: the collector's full walk then, not in the middle of the next paint.
        if self._quiet_timer is not None:
            self._quiet_timer.stop()
        self._quiet_timer = self.set_timer(QUIET_AFTER, collect_if_due)

    def _summarize(self) -> None:
        busy = f"{self._busy}{GLYPHS.ellipsis}" if self._busy else None
        every = self.page.every if self.page is not None else None
        summary = ledger_summary(every, host(self).ledger, scope_label(self.scope), busy)
        self._set_summary(summary)

    def _set_summary(self, summary: Content) -> None:
        shown = self._summary
        if shown is not None and (shown.plain, shown.spans) == (summary.plain, summary.spans):
            return  # the same words in the same styles: no layout, no repaint
        self._summary = summary
        self.query_one("#history-summary", Static).update(summary)

    def _draw_hours(self, page: LedgerPage) -> None:
        chart = self.query_one("#hourly-chart", ChartView)
        scope, hours = page.scope, page.hours
        labels = tuple(f"{h:02d}:00" for h in range(len(hours)))
        if scope.day is None and page.view.end is not None:
            first = datetime.fromtimestamp((page.view.end - DAY_MS) / 1000, UTC)
            labels = tuple(f"{(first + timedelta(hours=h)):%H}:00" for h in range(24))
        ticks = tuple(label if i % 3 == 0 else "" for i, label in enumerate(labels))
        usd = Series("USD", tuple(u for u, _ in hours), USD_COLOR, GLYPHS.bar_marker)
        diem = Series(
            "DIEM", tuple(d for _, d in hours), DIEM_COLOR, "▒" if not GLYPHS.ascii else "="
        )
        title = f"By the hour, {scope_label(scope) if scope.hour is None else f'{scope.day:%b %d}'}"
        peak = max(range(len(hours)), key=lambda h: sum(hours[h]), default=None)
        if peak is not None and sum(hours[peak]) > 0:
            title += f" {GLYPHS.dot} peak {labels[peak]}: {fmt.diem(sum(hours[peak]))} USD+DIEM"
        chart.show(ChartSpec("stacked", labels, (usd, diem), title=title, tick_labels=ticks))

    def export_table(self) -> TableSource | None:
        archive = host(self).archive
        if archive is None:
            return None
        ids = self._ids  # replaced, never changed in place, by the next query

        def build() -> ExportTable:
            found: dict[int, LedgerLine] = {}
            for start in range(0, len(ids), EXPORT_BATCH):
                batch = list(ids[start : start + EXPORT_BATCH])
                found.update(archive.run(partial(lines, ids=batch)))
            return ledger_table([found[i] for i in ids if i in found])

        return build

    def export_words(self) -> str:
        return f"the ledger rows of {scope_label(self.scope)}, as filtered and sorted"

    @property
    def _ids(self) -> array[int]:
        return self.page.ids if self.page is not None else array("q")

    @property
    def _hours(self) -> tuple[tuple[float, float], ...]:
        return self.page.hours if self.page is not None else ()

    def export_span(self) -> ExportSpan:
        """The hours the rows are of, never the dashboard's period."""
        scope, view = self.scope, self.view
        return ledger_span(scope_label(scope), scope.day, scope.hour, view.start, view.end)

    @on(LazyGrid.NeedPage)
    def _need_page(self, event: LazyGrid.NeedPage) -> None:
        archive = host(self).archive
        if archive is not None:
            self._load_page(archive, event.grid, event.rows, event.page)

    @work(thread=True, group="history-page", exit_on_error=False)
    def _load_page(self, archive: Archive, grid: LazyGrid, rows: LazyRows, page: int) -> None:
        wanted = [self._ids[i] for i in rows.page_range(page) if i < len(self._ids)]
        try:
            found = archive.read(lambda db: lines(db, wanted), lambda: True)
        except ArchiveError:
            return
        filled = [_row(found[i]) for i in wanted if i in found]
        self.app.call_from_thread(self._page_arrived, grid, rows, page, found, filled)

    def _page_arrived(
        self,
        grid: LazyGrid,
        rows: LazyRows,
        page: int,
        found: dict[int, LedgerLine],
        filled: list[GridRow],
    ) -> None:
        self._lines.update(found)
        grid.page_arrived(rows, page, filled)

    @on(LazyGrid.ViewChanged)
    def _view_changed(self, event: LazyGrid.ViewChanged) -> None:
        sort = SORTABLE.get(event.sort_key, "time")
        doing = "filtering" if event.text != self.view.text else "sorting"
        self.view = LedgerView(event.text, self.view.start, self.view.end, sort, event.descending)
        self.query_again(doing)

    def show_detail(self, row_key: str | None) -> None:
        line = self._lines.get(int(row_key)) if row_key and row_key.isdigit() else None
        if line == self._detail and self._detail_drawn:
            return  # the same row (a new page of the same rows): nothing to lay out again
        self._detail, self._detail_drawn = line, True
        self.query_one("#detail", Static).update(describe_line(line) if line else "")

    # Scope

    def action_shift_day(self, step: int) -> None:
        latest = host(self).tick.now.date()
        current = self.scope.day or latest
        day = min(latest, current + timedelta(days=step))
        self.scope = LedgerScope(day)
        self.query_again()

    def action_previous_day(self) -> None:
        self.action_shift_day(-1)

    def action_last_day(self) -> None:
        self.scope = LedgerScope()
        self.query_again()

    def action_peak_hour(self) -> None:
        if self.scope.hour is not None:
            self.scope = LedgerScope(self.scope.day)
        elif self._hours:
            peak = max(range(len(self._hours)), key=lambda h: sum(self._hours[h]))
            day = self.scope.day
            if day is None and self.view.end is not None:
                moment = datetime.fromtimestamp((self.view.end - DAY_MS) / 1000, UTC)
                moment += timedelta(hours=peak)
                day, peak = moment.date(), moment.hour
            self.scope = LedgerScope(day, peak)
        self.query_again()


def _row(line: LedgerLine) -> GridRow:
    when = datetime.fromtimestamp(line.ts / 1000, UTC)
    tokens = (
        f"{fmt.compact(line.prompt_tokens or 0)}/{fmt.compact(line.completion_tokens or 0)}"
        if line.prompt_tokens is not None or line.completion_tokens is not None
        else GLYPHS.dash
    )
    return GridRow(
        key=str(line.id),
        cells=(
            f"{when:%Y-%m-%d %H:%M:%S}",
            line.sku,
            line.currency.replace("BUNDLED_CREDITS", "credits").lower(),
            f"{line.charged:,.6f}".rstrip("0").rstrip(".") if line.charged else "0",
            f"{line.units:,.6g}",
            tokens,
            f"{line.exec_ms / 1000:.1f} s" if line.exec_ms is not None else GLYPHS.dash,
            line.request_id or GLYPHS.dash,
        ),
        sort_values=(),
        search_text="",
    )


def _totals_text(shown: LedgerTotals, text: str) -> Content:
    what = f"rows matching {text!r}" if text else "rows"
    return Content.assemble(
        (f"{shown.rows:,} {what}", "bold"),
        f"\n{fmt.usd(shown.usd)} USD {GLYPHS.dot} {fmt.diem(shown.diem)} DIEM",
        (f"\n{fmt.usd(shown.credits)} in credits" if shown.credits else "", "dim"),
    )
