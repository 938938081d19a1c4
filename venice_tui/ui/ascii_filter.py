"""The last step before the terminal when it cannot show Unicode (`LANG=C`, the Linux
console): every character outside ASCII becomes a stand-in of the same width, whatever drew
it (our glyphs, Textual's borders and scrollbars, plotext's braille, names from Venice)."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from venice_tui.core.glyphs import to_ascii


class AsciiFilter(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment if control or text.isascii() else Segment(to_ascii(text), style, control)
            for segment in segments
            for text, style, control in (segment,)
        ]
