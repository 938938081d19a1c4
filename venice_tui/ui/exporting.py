"""`e` on a dashboard screen: the dialog, then the file, written atomically on a worker thread
(History may read many rows from the archive), and a notification with its path.

A screen offers its table as an `ExportOffer` whose `table` is a function that builds the rows
(raw numbers, the order and filter shown), called on the worker, so it must capture what it
needs when it is made. SVG is Textual's own screenshot of the screen, taken once the dialog is
gone. Each dashboard screen holds one `ScreenExport`; its workers run on that screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ParamSpec

from textual.screen import Screen

from venice_tui.core.domain import Period, one_line
from venice_tui.core.export import ExportContext, ExportSpan, ExportTable, file_name, render
from venice_tui.core.paths import display_path, write_atomically
from venice_tui.ui.host import host
from venice_tui.ui.screens.export_dialog import ExportChoice, ExportDialog

TableSource = Callable[[], ExportTable]
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class ExportOffer:
    """What a screen offers when `e` is pressed."""

    #: The screen's mode, in the file's name (`models`).
    mode: str
    #: The screen's title, in the dialog.
    title: str
    #: Builds the rows for CSV and JSON; None: only a picture (SVG).
    table: TableSource | None
    #: What the CSV and JSON hold, in a few words, for the dialog.
    words: str
    #: The filter the rows are under, in the JSON.
    filter_text: str
    #: What the rows cover when it is not the period on screen (History: the hours shown).
    span: ExportSpan | None = None


def _start_folder() -> Path:
    try:
        return Path.cwd()
    except OSError:  # the folder it was started in is gone
        return Path.home()


class ScreenExport:
    """Exports one screen: the dialog, the file, and what is said about it."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen

    def open(self, offer: ExportOffer) -> None:
        words = offer.words if offer.table is not None else None
        dialog = ExportDialog(offer.title, words, _start_folder())
        self.screen.app.push_screen(dialog, partial(self._chosen, offer))

    def _chosen(self, offer: ExportOffer, choice: ExportChoice | None) -> None:
        if choice is None:
            return
        context = self._context(offer.filter_text, offer.span)
        target = choice.folder / file_name(context, offer.mode, choice.form)
        if choice.form == "svg":
            # Once the dialog (and any toast) has left the screen: the dashboard alone.
            self.screen.app.clear_notifications()
            self.screen.call_after_refresh(self._write_svg, target)
        elif offer.table is not None:
            self._in_worker(self._write_table, offer.table, context, choice, target)

    def _in_worker(self, work: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> None:
        self.screen.run_worker(
            partial(work, *args, **kwargs),
            name=work.__name__,
            group="export",
            thread=True,
            exit_on_error=False,
        )

    def _write_svg(self, target: Path) -> None:
        svg = self.screen.app.export_screenshot(title=target.name)
        self._in_worker(self._write_bytes, target, svg.encode(), "a picture of the screen")

    def _write_table(
        self, source: TableSource, context: ExportContext, choice: ExportChoice, target: Path
    ) -> None:
        """On a worker thread."""
        try:
            table = source()
        except Exception as exc:  # the archive unreadable: said, and nothing is written
            reason = f"{type(exc).__name__}: {one_line(str(exc), 120)}"
            self.screen.app.call_from_thread(self._say_failed, target, reason)
            return
        data = render(table, context, choice.form)
        words = f"{len(table.rows):,} row{'s' if len(table.rows) != 1 else ''}"
        self._write_bytes(target, data, words)

    def _say_failed(self, target: Path, reason: str) -> None:
        self.screen.notify(
            f"Could not export to {display_path(target)}: {reason}",
            title="Export failed",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _write_bytes(self, target: Path, data: bytes, words: str) -> None:
        """On a worker thread: a big file and its fsync never hold up the keys."""
        app = self.screen.app
        try:
            write_atomically(target, data)
        except OSError as exc:
            app.call_from_thread(self._say_failed, target, str(exc.strerror or exc))
            return
        app.call_from_thread(self._say_written, target, words)

    def _say_written(self, target: Path, words: str) -> None:
        self.screen.notify(
            f"{words} → {display_path(target)}", title="Exported", timeout=8, markup=False
        )

    def _context(self, filter_text: str, span: ExportSpan | None) -> ExportContext:
        state = host(self.screen)
        now = state.tick.now
        period = (
            state.snapshot.period if state.snapshot else state.status.period or Period.default()
        )
        first, last = period.first_and_last(now.date())
        span = span or ExportSpan.of_days(period.label, period.slug, first, last)
        return ExportContext(profile=state.profile_name, span=span, at=now, filter_text=filter_text)
