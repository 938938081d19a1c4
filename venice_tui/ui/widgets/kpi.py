"""A KPI tile: a label in its border, a bold value and a line of context; one widget, no children."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class KpiTile(Static):
    DEFAULT_CSS = """
    KpiTile { height: 4; border: round $primary-darken-1; padding: 0 1; width: 1fr; min-width: 16; }
    KpiTile.-warning { border: round $warning; }
    KpiTile.-over { border: round $error; }
    """

    def __init__(self, label: str, short_label: str, *, id: str) -> None:
        super().__init__("—", id=id)
        self.label, self.short_label = label, short_label
        self.border_title = label
        self.value, self.note = "", ""

    def on_resize(self) -> None:
        self._fit_label()

    def relabel(self, label: str, short_label: str) -> None:
        self.label, self.short_label = label, short_label
        self._fit_label()

    def _fit_label(self) -> None:
        # The border title needs the label plus corners and padding.
        fits = self.outer_size.width >= len(self.label) + 6
        self.border_title = self.label if fits else self.short_label

    def set_level(self, level: str) -> None:
        """`warning` or `over` colour the tile's border (the note says it in words)."""
        self.set_class(level == "warning", "-warning")
        self.set_class(level == "over", "-over")

    def set(self, value: str, note: str = "") -> None:
        """Show `value` in bold with `note` beneath (a short terminal shows only the value)."""
        if (value, note) == (self.value, self.note):
            return
        self.value, self.note = value, note
        parts: list[str | tuple[str, str]] = [(value, "bold")]
        if note:
            parts += ["\n", (note, "dim")]
        self.update(Content.assemble(*parts))
