"""Export this view: pick CSV, JSON or SVG and a folder (default: the current directory)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from venice_tui.core.export import FORMATS, Format
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.paths import display_path
from venice_tui.ui.typeahead import TypeAhead


@dataclass(frozen=True, slots=True)
class ExportChoice:
    form: Format
    folder: Path


class ExportDialog(TypeAhead, ModalScreen[ExportChoice | None]):
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, table_words: str | None, folder: Path) -> None:
        super().__init__()
        self.view_title, self.table_words, self.folder = title, table_words, folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(
                Content.assemble((f"Export {self.view_title}", "bold"), ("  to a file", "dim"))
            )
            options = []
            if self.table_words:
                options += [
                    Option(f"CSV   {self.table_words}", id="csv"),
                    Option("JSON  the same rows, with the period and the filter", id="json"),
                ]
            options.append(Option("SVG   a picture of the screen, as you see it", id="svg"))
            yield OptionList(*options, id="export-format")
            yield Static(Content.styled("Folder", "bold"))
            yield Input(display_path(self.folder), id="export-folder")
            yield Static("", id="export-error")
            yield Static(
                Content.styled(
                    f"Enter exports {GLYPHS.dot} Tab: format or folder {GLYPHS.dot} Esc cancels",
                    "dim",
                )
            )

    def on_mount(self) -> None:
        formats = self.query_one("#export-format", OptionList)
        formats.highlighted = 0
        self.set_focus(formats)

    @on(OptionList.OptionSelected, "#export-format")
    def _format_chosen(self) -> None:
        self._export()

    @on(Input.Submitted, "#export-folder")
    def _folder_submitted(self) -> None:
        self._export()

    def _export(self) -> None:
        formats = self.query_one("#export-format", OptionList)
        index = formats.highlighted or 0
        form = formats.get_option_at_index(index).id
        text = self.query_one("#export-folder", Input).value.strip() or "."
        folder = Path(text).expanduser()
        if not folder.is_dir():
            self.query_one("#export-error", Static).update(
                Content.styled(
                    f"{GLYPHS.cross} {text!r} is not a folder: type one that exists",
                    "bold $text-error",
                )
            )
            self.set_focus(self.query_one("#export-folder", Input))
            return
        self.dismiss(ExportChoice(next(f for f in FORMATS if f == form), folder))

    def action_cancel(self) -> None:
        self.dismiss(None)
