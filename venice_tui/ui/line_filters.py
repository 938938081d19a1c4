"""What happens to every line on its way to the terminal: NO_COLOR that fits the theme shown and
keeps every word readable, and ASCII stand-ins where the terminal cannot show Unicode.

Textual chooses its NO_COLOR filter once, for the theme the app starts with: greys by luminance
(`Monochrome`) for an RGB theme, the terminal's own colours (`NoColor`) for an ANSI one. A theme
picked later (`ansi-dark`, remembered from a palette choice) kept the greys, and an ANSI theme's
colours have no RGB to turn grey: everything came out black on black. Here the filter follows the
theme on screen each time a line is drawn. And where two colours differ only in hue (an accent
against a light panel), their greys can all but meet: `ReadableGreys` moves the text's grey away
from its background until the two stand at least `MIN_CONTRAST` apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome, NoColor

from venice_tui.ui.ascii_filter import AsciiFilter

#: WCAG's contrast for large text; the themes' own dim text sits around it, body text far above.
MIN_CONTRAST = 3.0


def luminance(grey: int) -> float:
    """WCAG relative luminance of a grey 0-255."""
    value = grey / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def contrast(a: int, b: int) -> float:
    """WCAG contrast ratio of two greys (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(4096)
def readable_grey(text: int, background: int) -> int:
    """`text`, or the grey nearest to it on the same side of `background` (the other side when
    that one has no room) that stands `MIN_CONTRAST` apart from it (there always is one: every
    grey stands at least 4.5:1 from black or from white)."""
    if contrast(text, background) >= MIN_CONTRAST:
        return text
    apart = [g for g in range(256) if contrast(g, background) >= MIN_CONTRAST]
    same_side = [g for g in apart if (g >= background) == (text >= background)]
    return min(same_side or apart, key=lambda g: abs(g - text))


@lru_cache(1024)
def readable_grey_style(style: Style) -> Style:
    fg = Color.from_rich_color(style.color).monochrome if style.color is not None else None
    bg = Color.from_rich_color(style.bgcolor).monochrome if style.bgcolor is not None else None
    if fg is not None and bg is not None:
        fg = Color(*(readable_grey(fg.r, bg.r),) * 3, fg.a)
    return style + Style.from_color(
        fg.rich_color if fg is not None else None, bg.rich_color if bg is not None else None
    )


class ReadableGreys(LineFilter):
    """Textual's greys by luminance, with every foreground at least `MIN_CONTRAST` from its
    background."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, readable_grey_style(style) if style is not None else None, None)
            for text, style, _ in segments
        ]


_GREYS = ReadableGreys()
_TERMINAL_COLOURS = NoColor()
_ASCII = AsciiFilter()


def line_filters(
    textual_filters: Sequence[LineFilter], *, no_color: bool, ansi_theme: bool, ascii: bool
) -> list[LineFilter]:
    """Textual's filters with its NO_COLOR filter replaced by the one that fits the theme."""
    filters = [f for f in textual_filters if not isinstance(f, Monochrome | NoColor)]
    if no_color:
        filters.append(_TERMINAL_COLOURS if ansi_theme else _GREYS)
    if ascii:
        filters.append(_ASCII)
    return filters
