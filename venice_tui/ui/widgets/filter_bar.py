"""`FilterBar`: the text field over a grid that narrows its rows.

Hidden until `open` (the screen's `/`); every keystroke narrows the grid at once; Enter goes
back to the grid (and hides the bar when it is empty); `clear` (the screen's Esc) empties and
hides it. Keys typed before it can take the focus reach it through the screen's `TypeAhead`.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from venice_tui.ui.widgets.data_grid import DataGrid

PLACEHOLDER = "filter: type to narrow the rows · Enter back to the table · Esc clears"


class FilterBar(Input):
    def __init__(self, grid: str, *, id: str = "filter") -> None:
        """`grid`: the selector of the grid it filters, on the same screen."""
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self._grid = grid

    @property
    def grid(self) -> DataGrid:
        return self.screen.query_one(self._grid, DataGrid)

    def open(self) -> None:
        self.display = True
        self.screen.set_focus(self)  # now, not after the keys already typed

    def clear(self) -> None:
        """Empty the filter and hide it; the grid has the focus."""
        if self.display:
            self.value = ""
            self.display = False
            self.grid.set_filter("")
        self.screen.set_focus(self.grid)

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        self.grid.set_filter(event.value)

    @on(Input.Submitted)
    def _back_to_grid(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.display = False
        self.screen.set_focus(self.grid)
