"""A KPI tile: a label in its border, a bold value and a line of context; one widget, no children.

A tile past a budget line says so in words as well as colour. Where its note cannot show (a short
terminal shows only the value; a narrow one cuts the note), the words move into the bottom
border, shortened to fit (`✗ over budget`, then `✗ over`): the word is never what gives way.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from venice_tui.core.glyphs import GLYPHS


def level_words(level: str, words: str = "") -> tuple[str, ...]:
    """What a level says, longest first; `words` (a standing's own, e.g. `forecast over budget`)
    replace the level's `over budget` / `near budget`, shortened the same way."""
    if not level:
        return ()
    mark = GLYPHS.cross if level == "over" else GLYPHS.warn
    words = words or ("over budget" if level == "over" else "near budget")
    # `forecast over budget`, then `over budget`, then `over`: the state is never what gives way.
    state = words.removeprefix("forecast ")
    short = [words, state, state.removesuffix(" budget")]
    return tuple(f"{mark} {w}" for w in dict.fromkeys(short))


class KpiTile(Static):
    # A warning's label and words take the theme's text colours for warnings and errors: the
    # border's own colour may sit close to the background (a light theme's orange), a word may not.
    DEFAULT_CSS = """
    KpiTile { height: 4; border: round $primary-darken-1; padding: 0 1; width: 1fr; min-width: 16; }
    KpiTile.-warning {
        border: round $warning; border-title-color: $text-warning;
        border-subtitle-color: $text-warning; border-subtitle-style: bold;
    }
    KpiTile.-over {
        border: round $error; border-title-color: $text-error;
        border-subtitle-color: $text-error; border-subtitle-style: bold;
    }
    """

    def __init__(self, label: str, short_label: str, *, id: str) -> None:
        super().__init__("—", id=id)
        self.label, self.short_label = label, short_label
        self.border_title = label
        self.value, self.note = "", ""
        self.level = ""
        self.words = ""

    def on_resize(self) -> None:
        self._fit_label()
        self._fit_words()

    def relabel(self, label: str, short_label: str) -> None:
        self.label, self.short_label = label, short_label
        self._fit_label()

    def _fit_label(self) -> None:
        # The border title needs the label plus corners and padding.
        fits = self.outer_size.width >= len(self.label) + 6
        self.border_title = self.label if fits else self.short_label

    def set_level(self, level: str, words: str = "") -> None:
        """`warning` or `over` colour the tile's border (the note says it in words); `words`, when
        given, are what the border says where the note cannot show (`forecast over budget`)."""
        self.set_class(level == "warning", "-warning")
        self.set_class(level == "over", "-over")
        self.level, self.words = level, words
        self._fit_words()

    def set(self, value: str, note: str = "") -> None:
        """Show `value` in bold with `note` beneath (a short terminal shows only the value)."""
        if (value, note) == (self.value, self.note):
            return
        self.value, self.note = value, note
        parts: list[str | tuple[str, str]] = [(value, "bold")]
        if note:
            parts += ["\n", (note, "dim")]
        self.update(Content.assemble(*parts))
        self._fit_words()

    @property
    def note_shows(self) -> bool:
        """Whether the note is on screen whole: a second line, and room for it on one."""
        width, height = self.size
        return bool(self.note) and height >= 2 and cell_len(self.note) <= width

    def _fit_words(self) -> None:
        words = level_words(self.level, self.words)
        if not words or self.note_shows or not self.size.width:
            self.border_subtitle = ""
            return
        room = self.outer_size.width - 4  # corners and a space either side
        self.border_subtitle = next((w for w in words if cell_len(w) <= room), words[-1])
