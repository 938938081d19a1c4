"""Palette commands of the table screens: filter, sort by any column, reverse the order."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from venice_tui.ui.widgets.data_grid import DataGrid


class TableCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        grids = screen.query(DataGrid)
        if not grids:
            return []
        grid = grids.first()
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                "Filter the table",
                "Type to narrow the rows (/)",
                partial(screen.run_action, "filter"),
            ),
            ("Reverse the sort order", "Largest first or last (S)", grid.action_reverse_sort),
        ]
        for column in grid.columns:
            commands.append(
                (
                    f"Sort by {column.label}",
                    "Largest first" if column.descending else "A to Z",
                    partial(grid.sort_by, column.key),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
