"""A sortable, filterable table of usage rows keyed by id, updated in place when it can be."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

SortValue = float | str
FIRST_CHUNK = 50
CHUNK = 120


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    #: Whether the first sort on this column is descending (amounts) or ascending (names).
    descending: bool = False


@dataclass(frozen=True, slots=True)
class TableRow:
    key: str
    cells: tuple[str, ...]
    sort_values: tuple[SortValue, ...]
    search_text: str


class UsageTable(DataTable[Text]):
    """Rows come in through `set_rows`; `s` cycles the sort column, `S` flips the order."""

    BINDINGS = [
        Binding("s", "cycle_sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, row_key: str | None) -> None:
            super().__init__()
            self.row_key = row_key

    def __init__(self, columns: tuple[Column, ...], sort_column: str, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.columns_spec = columns
        self.sort_index = next(i for i, c in enumerate(columns) if c.key == sort_column)
        self.sort_descending = columns[self.sort_index].descending
        self.filter_text = ""
        self._rows: list[TableRow] = []
        self._shown_keys: list[str] = []
        self._shown_cells: dict[str, tuple[str, ...]] = {}

    def on_mount(self) -> None:
        for column in self.columns_spec:
            self.add_column(self._header(column), key=column.key)

    def _header(self, column: Column) -> Text:
        label = column.label
        if self.columns_spec[self.sort_index] is column:
            label += " ▼" if self.sort_descending else " ▲"
        return Text(label, justify="right" if column.numeric else "left")

    def set_rows(self, rows: list[TableRow]) -> None:
        self._rows = rows
        self._redraw()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip().lower()
        self._redraw()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(self.columns_spec)
        self.sort_descending = self.columns_spec[self.sort_index].descending
        self._redraw()

    def action_reverse_sort(self) -> None:
        self.sort_descending = not self.sort_descending
        self._redraw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        index = next(i for i, c in enumerate(self.columns_spec) if c.key == event.column_key.value)
        if index == self.sort_index:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_index, self.sort_descending = index, self.columns_spec[index].descending
        self._redraw()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(event.row_key.value if event.row_key else None))

    @property
    def selected_key(self) -> str | None:
        if not self._shown_keys or self.cursor_row < 0 or self.cursor_row >= len(self._shown_keys):
            return None
        return self._shown_keys[self.cursor_row]

    @property
    def visible_count(self) -> int:
        return len(self._shown_keys)

    def _visible(self) -> list[TableRow]:
        needle = self.filter_text
        rows = [r for r in self._rows if needle in r.search_text] if needle else list(self._rows)
        index = self.sort_index
        sort_key: Callable[[TableRow], SortValue] = lambda r: r.sort_values[index]  # noqa: E731
        return sorted(rows, key=sort_key, reverse=self.sort_descending)

    def _redraw(self) -> None:
        if not self.columns:
            return
        for column in self.columns_spec:
            self.columns[column.key].label = self._header(column)  # type: ignore[index]
        rows = self._visible()
        keys = [r.key for r in rows]
        if keys == self._shown_keys:
            self._update_changed_cells(rows)
            return
        selected = self.selected_key
        self.clear()
        self._shown_cells = {}
        self._shown_keys = keys
        # The first screenful now; a thousand rows at once would stall the app (each new row is
        # measured), so the rest follow in chunks, a frame apart.
        self._add_rows(rows[:FIRST_CHUNK])
        self._fill_rest(rows[FIRST_CHUNK:], selected)

    def _update_changed_cells(self, rows: list[TableRow]) -> None:
        for row in rows:
            old = self._shown_cells.get(row.key)
            if old == row.cells:
                continue
            for index, (column, cell) in enumerate(zip(self.columns_spec, row.cells, strict=True)):
                if old is None or old[index] != cell:
                    self.update_cell(row.key, column.key, self._cell(column, cell))
            self._shown_cells[row.key] = row.cells
        self.refresh()

    def _add_rows(self, rows: list[TableRow]) -> None:
        for row in rows:
            self.add_row(
                *(self._cell(c, v) for c, v in zip(self.columns_spec, row.cells, strict=True)),
                key=row.key,
            )
            self._shown_cells[row.key] = row.cells

    @work(exclusive=True, group="table-fill", exit_on_error=False)
    async def _fill_rest(self, rows: list[TableRow], selected: str | None) -> None:
        for start in range(0, len(rows), CHUNK):
            await asyncio.sleep(0)
            self._add_rows(rows[start : start + CHUNK])
        if self._shown_keys:
            target = self._shown_keys.index(selected) if selected in self._shown_keys else 0
            self.move_cursor(row=target, animate=False)
        self.post_message(self.Highlighted(self.selected_key))

    @staticmethod
    def _cell(column: Column, value: str) -> Text:
        return Text(value, justify="right" if column.numeric else "left", no_wrap=True)


__all__ = ["Column", "RowKey", "TableRow", "UsageTable"]
