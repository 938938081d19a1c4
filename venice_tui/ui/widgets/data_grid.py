"""`DataGrid`: a sortable, filterable table that draws only the rows on screen.

Rows are our own immutable `GridRow`s, kept in one list; filtering and sorting make a new
list of references, and `render_line` turns just the visible ones into one-segment strips.
There is no per-row widget state and nothing is measured per cell after `set_rows`, so a
thousand keys fill, filter and sort in a few milliseconds, and a filter keystroke can never
race a fill (everything happens in one synchronous step).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from venice_tui.core.budgets import Finding, level_of
from venice_tui.core.glyphs import GLYPHS

SortValue = float | str
Tone = Literal["", "dim", "warning", "error"]
GAP = 2
GUTTER = 2
MAX_TEXT_WIDTH = 40
MIN_FLEX_WIDTH = 16


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    #: Whether the first sort on this column is descending (amounts) or ascending (names).
    descending: bool = False
    #: The column that takes the width left over (names); others are as wide as their cells.
    flex: bool = False
    #: When the columns do not fit, the highest priority number is hidden first; 0 never is.
    priority: int = 0


@dataclass(frozen=True, slots=True)
class GridRow:
    key: str
    #: Plain strings, one per column: account data is never parsed as markup here.
    cells: tuple[str, ...]
    sort_values: tuple[SortValue, ...]
    search_text: str
    tone: Tone = ""


class DataGrid(ScrollView, can_focus=True):
    """`s`/`S` sort (next column / reverse), `<`/`>` move the sort column, `j`/`k`, arrows,
    PgUp/PgDn, Home/End move; a click on a header sorts by it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "data-grid--header",
        "data-grid--cursor",
        "data-grid--stripe",
        "data-grid--dim",
        "data-grid--warning",
        "data-grid--error",
    }
    DEFAULT_CSS = """
    DataGrid { height: 1fr; overflow-x: hidden; background: $surface; }
    DataGrid > .data-grid--header { text-style: bold; background: $panel; color: $foreground; }
    DataGrid > .data-grid--cursor { background: $block-cursor-blurred-background; }
    DataGrid:focus > .data-grid--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    DataGrid > .data-grid--stripe { background: $boost; }
    DataGrid > .data-grid--dim { color: $text-muted; }
    DataGrid > .data-grid--warning { color: $text-warning; }
    DataGrid > .data-grid--error { color: $text-error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("s", "cycle_sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse", show=False),
        Binding("less_than_sign", "shift_sort(-1)", "Sort by the column on the left", show=False),
        Binding(
            "greater_than_sign", "shift_sort(1)", "Sort by the column on the right", show=False
        ),
        Binding("enter", "select", "Select", show=False),
    ]

    class Highlighted(Message):
        """The row under the cursor changed (None: no row is shown)."""

        def __init__(self, row_key: str | None) -> None:
            super().__init__()
            self.row_key = row_key

    class Selected(Message):
        """Enter on a row."""

        def __init__(self, row_key: str) -> None:
            super().__init__()
            self.row_key = row_key

    def __init__(
        self,
        columns: Sequence[Column],
        sort_column: str,
        *,
        id: str | None = None,
        empty_text: str = "nothing to show",
    ) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.sort_index = next(i for i, c in enumerate(self.columns) if c.key == sort_column)
        self.sort_descending = self.columns[self.sort_index].descending
        self.filter_text = ""
        self.empty_text = empty_text
        self._rows: list[GridRow] = []
        self._view: list[GridRow] = []
        self._cursor = 0
        self._highlighted: str | None = None
        self._widths: list[int] = [cell_len(c.label) + 2 for c in self.columns]
        #: The indexes of the columns shown (all but those hidden for want of room).
        self._shown = list(range(len(self.columns)))
        self._laid_out_for = 0
        self._styles: dict[tuple[bool, Tone, bool, bool], Style] = {}
        self._natural: list[int] = list(self._widths)

    # Data in

    def set_rows(self, rows: Sequence[GridRow]) -> None:
        self._rows = list(rows)
        self._natural = [
            max(cell_len(column.label) + 2, *(cell_len(r.cells[i]) for r in self._rows))
            if self._rows
            else cell_len(column.label) + 2
            for i, column in enumerate(self.columns)
        ]
        self._rebuild()

    def set_filter(self, text: str) -> None:
        needle = text.strip().lower()
        if needle != self.filter_text:
            self.filter_text = needle
            self._rebuild()

    @property
    def rows(self) -> list[GridRow]:
        """The rows as shown: filtered and sorted."""
        return self._view

    @property
    def selected_key(self) -> str | None:
        return self._view[self._cursor].key if self._view else None

    def select(self, key: str) -> None:
        """Put the cursor on the row `key`, if it is shown."""
        keys = [r.key for r in self._view]
        if key in keys:
            self._move_to(keys.index(key))

    @property
    def visible_count(self) -> int:
        return len(self._view)

    def sort_by(self, column_key: str, descending: bool | None = None) -> None:
        index = next(i for i, c in enumerate(self.columns) if c.key == column_key)
        self.sort_index = index
        self.sort_descending = self.columns[index].descending if descending is None else descending
        self._rebuild()

    # Actions

    def action_move(self, delta: int) -> None:
        self._move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self._cursor + direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        self._move_to(len(self._view) - 1 if where < 0 else where)

    def action_cycle_sort(self) -> None:
        self.action_shift_sort(1)

    def action_shift_sort(self, step: int) -> None:
        index = (self.sort_index + step) % len(self.columns)
        self.sort_by(self.columns[index].key)

    def action_reverse_sort(self) -> None:
        self.sort_descending = not self.sort_descending
        self._rebuild()

    def action_select(self) -> None:
        if self._view:
            self.post_message(self.Selected(self._view[self._cursor].key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                if column == self.sort_index:
                    self.action_reverse_sort()
                else:
                    self.sort_by(self.columns[column].key)
            return
        self.focus()
        self._move_to(round(self.scroll_offset.y) + offset.y - 1)

    # Internals

    def _rebuild(self) -> None:
        selected = self.selected_key
        needle = self.filter_text
        rows = [r for r in self._rows if needle in r.search_text] if needle else list(self._rows)
        index = self.sort_index
        rows.sort(key=lambda r: r.key)  # a stable order for ties, whatever the sort
        rows.sort(key=lambda r: r.sort_values[index], reverse=self.sort_descending)
        self._view = rows
        keys = [r.key for r in rows]
        self._cursor = keys.index(selected) if selected in keys else 0
        self._layout()
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce()

    def _move_to(self, index: int) -> None:
        if not self._view:
            return
        index = max(0, min(len(self._view) - 1, index))
        if index == self._cursor:
            return
        previous, self._cursor = self._cursor, index
        self._scroll_cursor_into_view()
        self._refresh_row(previous)
        self._refresh_row(index)
        self._announce()

    def _announce(self) -> None:
        key = self.selected_key
        if key != self._highlighted:
            self._highlighted = key
            self.post_message(self.Highlighted(key))

    def _scroll_cursor_into_view(self) -> None:
        rows_shown = max(1, self.size.height - 1)
        top = round(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + rows_shown:
            self.scroll_to(y=self._cursor - rows_shown + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_offset.y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self.virtual_size = Size(event.size.width, len(self._view) + 1)
        self._scroll_cursor_into_view()

    def _layout(self) -> None:
        """Columns as wide as their widest cell (text capped), the flex column taking the
        rest of the width; when they do not fit, low-priority columns are hidden, then the
        flex column gives way."""
        self._laid_out_for = self.scrollable_content_region.width
        width = self._laid_out_for - GUTTER
        widths = [
            min(w, MAX_TEXT_WIDTH) if not c.numeric else w
            for w, c in zip(self._natural, self.columns, strict=True)
        ]
        flex = next((i for i, c in enumerate(self.columns) if c.flex), 0)
        shown = list(range(len(self.columns)))

        def others() -> int:
            return sum(widths[i] for i in shown if i != flex) + GAP * (len(shown) - 1)

        while width - others() < MIN_FLEX_WIDTH:
            hideable = [i for i in shown if self.columns[i].priority > 0]
            if not hideable:
                break
            shown.remove(max(hideable, key=lambda i: (self.columns[i].priority, i)))
        widths[flex] = max(MIN_FLEX_WIDTH, width - others())
        self._widths, self._shown = widths, shown

    def _column_at(self, x: int) -> int | None:
        position = GUTTER
        for index in self._shown:
            width = self._widths[index]
            if position <= x < position + width + GAP:
                return index
            position += width + GAP
        return None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header_strip(width)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self._view):
            if y == 1 and not self._view:
                style = self.get_component_rich_style("data-grid--dim")
                text = " " * GUTTER + self.empty_text
                return Strip([Segment(set_cell_size(text, width), style)], width)
            return Strip.blank(width, self.rich_style)
        return self._row_strip(index, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # a new theme or class: the row styles are worked out again

    def _style(self, stripe: bool, tone: Tone, cursor: bool) -> Style:
        """A row's style, worked out once per kind of row (looking styles up per line costs
        more than drawing the line)."""
        key = (stripe, tone, cursor, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if stripe:
                style += self.get_component_rich_style("data-grid--stripe")
            if tone:
                style += self.get_component_rich_style(f"data-grid--{tone}")
            if cursor:
                style += self.get_component_rich_style("data-grid--cursor")
            self._styles[key] = style = style or Style.null()
        return style

    def _header_strip(self, width: int) -> Strip:
        if self.scrollable_content_region.width != self._laid_out_for:
            self._layout()  # a scrollbar came or went
        cells = []
        for index in self._shown:
            column = self.columns[index]
            label = column.label
            if index == self.sort_index:
                arrow = GLYPHS.sort_down if self.sort_descending else GLYPHS.sort_up
                label = f"{label} {arrow}"
            cells.append(_fit(label, self._widths[index], column.numeric))
        text = " " * GUTTER + (" " * GAP).join(cells)
        style = self.get_component_rich_style("data-grid--header")
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def _row_strip(self, index: int, width: int) -> Strip:
        row = self._view[index]
        at_cursor = index == self._cursor
        style = self._style(bool(index % 2), row.tone, at_cursor)
        gutter = (GLYPHS.cursor if at_cursor and self.has_focus else " ").ljust(GUTTER)
        cells = (_fit(row.cells[i], self._widths[i], self.columns[i].numeric) for i in self._shown)
        text = gutter + (" " * GAP).join(cells)
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def on_focus(self) -> None:
        self._refresh_row(self._cursor)

    def on_blur(self) -> None:
        self._refresh_row(self._cursor)


def tone_of(findings: tuple[Finding, ...], prefix: str) -> Tone:
    """A row's colour from the findings about it: over budget an error, near it a warning."""
    level = level_of(findings, prefix)
    return "error" if level == "over" else "warning" if level == "warning" else ""


def flagged(text: str, tone: Tone) -> str:
    """The words beside the colour, for NO_COLOR and for eyes that do not tell colours apart."""
    mark = {"error": GLYPHS.cross, "warning": GLYPHS.warn}.get(tone)
    return f"{mark} {text}" if mark else text


def _fit(text: str, width: int, right: bool) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis when too long, padded otherwise."""
    length = cell_len(text)
    if length > width:
        ellipsis = GLYPHS.ellipsis
        return set_cell_size(text, max(0, width - cell_len(ellipsis))) + ellipsis
    padding = " " * (width - length)
    return padding + text if right else text + padding
