"""`LazyGrid`: the `DataGrid` over rows that live elsewhere (a million ledger rows in SQLite).

The grid knows how many rows there are and asks for the pages on screen (`NeedPage`); until a
page arrives its rows show as placeholders. Sorting and filtering are the owner's (in SQL):
the grid only says what was asked (`ViewChanged`) and shows the new rows it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import overload

from textual.geometry import Region, Size
from textual.message import Message

from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.widgets.data_grid import Column, DataGrid, GridRow

PAGE_ROWS = 100


class LazyRows(Sequence[GridRow]):
    """`count` rows, filled page by page; a missing page is asked for once."""

    def __init__(self, count: int, columns: int, ask: Callable[[int], None]) -> None:
        self.size, self._ask = count, ask
        self._pages: dict[int, Sequence[GridRow]] = {}
        self._asked: set[int] = set()
        self._blank = ("",) * (columns - 1)

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> GridRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[GridRow]: ...

    def __getitem__(self, index: int | slice) -> GridRow | Sequence[GridRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if not 0 <= index < self.size:
            raise IndexError(index)
        page = index // PAGE_ROWS
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._asked:
                self._asked.add(page)
                self._ask(page)
            return GridRow(f"#{index}", (GLYPHS.ellipsis, *self._blank), (), "", "dim")
        return rows[index % PAGE_ROWS]

    def fill(self, page: int, rows: Sequence[GridRow]) -> None:
        self._pages[page] = rows

    def page_range(self, page: int) -> range:
        return range(page * PAGE_ROWS, min(self.size, (page + 1) * PAGE_ROWS))


class LazyGrid(DataGrid):
    class NeedPage(Message):
        def __init__(self, grid: LazyGrid, rows: LazyRows, page: int) -> None:
            super().__init__()
            self.grid, self.rows, self.page = grid, rows, page

    class ViewChanged(Message):
        """The person asked for another sort or filter: the owner queries again."""

        def __init__(self, sort_key: str, descending: bool, text: str) -> None:
            super().__init__()
            self.sort_key, self.descending, self.text = sort_key, descending, text

    def __init__(
        self,
        columns: Sequence[Column],
        sort_column: str,
        *,
        id: str | None = None,
        empty_text: str = "nothing to show",
    ) -> None:
        super().__init__(columns, sort_column, id=id, empty_text=empty_text)
        self._natural = [max(len(c.label) + 2, 10 if c.numeric else 12) for c in self.columns]
        self._source = LazyRows(0, len(self.columns), lambda page: None)

    def new_rows(
        self, count: int, widths: Sequence[int] | None = None, first: Sequence[GridRow] = ()
    ) -> LazyRows:
        """Show `count` rows (the cursor back at the top); their pages are asked for as shown,
        but for the `first` rows when given (a whole first page, or all the rows)."""
        source = LazyRows(count, len(self.columns), self._ask)
        if first and len(first) >= min(count, PAGE_ROWS):
            source.fill(0, first[:PAGE_ROWS])
        self._source = source
        if widths is not None:
            self._natural = [
                max(len(c.label) + 2, w) for c, w in zip(self.columns, widths, strict=True)
            ]
        self._cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._rebuild()
        return source

    def _ask(self, page: int) -> None:
        self.post_message(self.NeedPage(self, self._source, page))

    def page_arrived(self, rows: LazyRows, page: int, filled: Sequence[GridRow]) -> None:
        if rows is not self._source:
            return  # for a view that was replaced meanwhile
        rows.fill(page, filled)
        self.refresh()
        if page * PAGE_ROWS <= self._cursor < (page + 1) * PAGE_ROWS:
            self._highlighted = None
            self._announce()

    # The owner sorts and filters.

    def set_filter(self, text: str) -> None:
        needle = text.strip()
        if needle != self.filter_text:
            self.filter_text = needle
            self._view_changed()

    def sort_by(self, column_key: str, descending: bool | None = None) -> None:
        index = next(i for i, c in enumerate(self.columns) if c.key == column_key)
        self.sort_index = index
        self.sort_descending = self.columns[index].descending if descending is None else descending
        self._view_changed()

    def action_reverse_sort(self) -> None:
        self.sort_descending = not self.sort_descending
        self._view_changed()

    def _view_changed(self) -> None:
        # The header's sort arrow: the rows are redrawn when the owner's new rows come, not
        # at every keystroke of a filter (a whole grid for nothing, measured in the paints).
        self.refresh(Region(0, 0, self.size.width, 1))
        key = self.columns[self.sort_index].key
        self.post_message(self.ViewChanged(key, self.sort_descending, self.filter_text))

    def _rebuild(self) -> None:
        self._view = self._source  # type: ignore[assignment]
        self._cursor = max(0, min(self._cursor, len(self._source) - 1))
        self._layout()
        self.virtual_size = Size(self.size.width, len(self._source) + 1)
        self._scroll_cursor_into_view()
        self.refresh()
        self._highlighted = None
        self._announce()
