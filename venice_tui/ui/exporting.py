"""`e` on a dashboard screen: the dialog, then the file, written atomically on a worker thread
(History may read many rows from the archive), and a notification with its path.

A screen offers its table through `export_table`: a function that builds the rows (raw
numbers, the order and filter shown), called on the worker, so it must capture what it needs
when it is made. SVG is Textual's own screenshot of the screen, taken once the dialog is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work

from venice_tui.api.period import Period
from venice_tui.api.text import one_line
from venice_tui.core.export import ExportContext, ExportSpan, ExportTable, file_name, render
from venice_tui.core.paths import display_path, write_atomically
from venice_tui.ui.host import host
from venice_tui.ui.screens.export_dialog import ExportChoice, ExportDialog

if TYPE_CHECKING:
    from textual.screen import Screen

TableSource = Callable[[], ExportTable]


def _start_folder() -> Path:
    try:
        return Path.cwd()
    except OSError:  # the folder it was started in is gone
        return Path.home()


class ExportMixin:
    """Mixed into `DashboardScreen`."""

    MODE: ClassVar[str] = ""

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
        screen = cast("Screen[Any]", self)
        source = self.export_table()
        title = screen.title or screen.TITLE or self.MODE
        dialog = ExportDialog(title, self.export_words() if source else None, _start_folder())
        screen.app.push_screen(dialog, lambda choice: self._export_chosen(choice, source))

    def _export_chosen(self, choice: ExportChoice | None, source: TableSource | None) -> None:
        if choice is None:
            return
        screen = cast("Screen[Any]", self)
        context = self._export_context()
        target = choice.folder / file_name(context, self.MODE, choice.form)
        if choice.form == "svg":
            # Once the dialog (and any toast) has left the screen: the dashboard alone.
            screen.app.clear_notifications()
            screen.call_after_refresh(self._write_svg, target)
        elif source is not None:
            self._write_table(source, context, choice, target)

    def _write_svg(self, target: Path) -> None:
        svg = cast("Screen[Any]", self).app.export_screenshot(title=target.name)
        self._write_picture(target, svg.encode())

    @work(thread=True, group="export", exit_on_error=False)
    def _write_picture(self, target: Path, data: bytes) -> None:
        self._write_bytes(target, data, "a picture of the screen")

    @work(thread=True, group="export", exit_on_error=False)
    def _write_table(
        self, source: TableSource, context: ExportContext, choice: ExportChoice, target: Path
    ) -> None:
        try:
            table = source()
        except Exception as exc:  # the archive unreadable: said, and nothing is written
            reason = f"{type(exc).__name__}: {one_line(str(exc), 120)}"
            cast("Screen[Any]", self).app.call_from_thread(self._say_failed, target, reason)
            return
        data = render(table, context, choice.form)
        words = f"{len(table.rows):,} row{'s' if len(table.rows) != 1 else ''}"
        self._write_bytes(target, data, words)

    def _say_failed(self, target: Path, reason: str) -> None:
        cast("Screen[Any]", self).notify(
            f"Could not export to {display_path(target)}: {reason}",
            title="Export failed",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _write_bytes(self, target: Path, data: bytes, words: str) -> None:
        """On a worker thread: a big file and its fsync never hold up the keys."""
        app = cast("Screen[Any]", self).app
        try:
            write_atomically(target, data)
        except OSError as exc:
            app.call_from_thread(self._say_failed, target, str(exc.strerror or exc))
            return
        app.call_from_thread(self._say_written, target, words)

    def _say_written(self, target: Path, words: str) -> None:
        cast("Screen[Any]", self).notify(
            f"{words} → {display_path(target)}", title="Exported", timeout=8, markup=False
        )

    def _export_context(self) -> ExportContext:
        state = host(cast("Screen[Any]", self))
        now = state.tick.now
        period = (
            state.snapshot.period if state.snapshot else state.status.period or Period.default()
        )
        first, last = period.first_and_last(now.date())
        span = self.export_span() or ExportSpan.of_days(period.label, period.slug, first, last)
        return ExportContext(
            profile=state.profile_name, span=span, at=now, filter_text=self.export_filter()
        )
