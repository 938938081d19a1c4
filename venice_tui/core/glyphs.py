"""The symbols venice-tui draws with, in Unicode or, where the terminal cannot show it, ASCII.

`LANG=C` (a locale that is not UTF-8) and the Linux console (`TERM=linux`, whose fonts lack braille and
most symbols) get ASCII. `VENICE_TUI_ASCII=1` forces it, `VENICE_TUI_ASCII=0` forbids it.
Chosen once per process: a terminal does not change its character set while we run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Glyphs:
    ascii: bool
    ellipsis: str
    dash: str
    dot: str
    separator: str
    arrow: str
    sort_up: str
    sort_down: str
    cross: str
    warn: str
    check: str
    loading: str
    paused: str
    spike: str
    cursor: str
    bar_full: str
    bar_empty: str
    times: str
    mask: str
    #: One marker per chart series, so lines read apart without colour.
    markers: tuple[str, ...]
    bar_marker: str


UNICODE = Glyphs(
    ascii=False,
    ellipsis="…",
    dash="—",
    dot="·",
    separator=" │ ",
    arrow="→",
    sort_up="▲",
    sort_down="▼",
    cross="✗",
    warn="⚠",
    check="✓",
    loading="⟳",
    paused="⏸",
    spike="▲",
    cursor="›",
    bar_full="█",
    bar_empty="░",
    times="×",
    mask="••••",
    markers=("braille", "•", "+", "x", "◆", "o", "*"),
    bar_marker="sd",
)

ASCII = Glyphs(
    ascii=True,
    ellipsis="...",
    dash="-",
    dot="-",
    separator=" | ",
    arrow="->",
    sort_up="^",
    sort_down="v",
    cross="x",
    warn="!",
    check="ok",
    loading="~",
    paused="||",
    spike="^",
    cursor=">",
    bar_full="#",
    bar_empty=".",
    times="x",
    mask="****",
    markers=("*", "+", "x", "o", "#", "@", "%"),
    bar_marker="#",
)


def wants_ascii(env: Mapping[str, str]) -> bool:
    forced = env.get("VENICE_TUI_ASCII", "").strip()
    if forced in ("1", "yes", "true"):
        return True
    if forced in ("0", "no", "false"):
        return False
    if env.get("TERM", "") == "linux":
        return True
    locale = (env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or "").lower()
    # No locale at all (common in containers) says nothing about the terminal: keep Unicode.
    return bool(locale) and "utf-8" not in locale and "utf8" not in locale


GLYPHS: Glyphs = ASCII if wants_ascii(os.environ) else UNICODE


_NAMED = {
    "…": ".",
    "—": "-",
    "–": "-",
    "·": ".",
    "•": "*",
    "×": "x",
    "→": ">",
    "←": "<",
    "↑": "^",
    "↓": "v",
    "▲": "^",
    "▼": "v",
    "✗": "x",
    "✓": "v",
    "⚠": "!",
    "⟳": "~",
    "⏸": "=",
    "◆": "*",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "\u00a0": " ",
    "\u2800": " ",
}


class _AsciiTable(dict[int, str]):
    """`str.translate` table that works out (and remembers) each character's ASCII stand-in,
    always as many cells wide as the character it replaces."""

    def __missing__(self, code: int) -> str:
        self[code] = value = _stand_in(chr(code))
        return value


def _stand_in(ch: str) -> str:
    import unicodedata

    if ord(ch) < 128:
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    if 0x2800 <= ord(ch) <= 0x28FF:  # braille dots of plotext's lines
        return "."
    name = unicodedata.name(ch, "")
    if name.startswith("BOX DRAWINGS"):
        words = set(name.split())
        if words & {"UP", "DOWN", "LEFT", "RIGHT", "ARC"} or {"VERTICAL", "HORIZONTAL"} <= words:
            return "+"
        return "|" if "VERTICAL" in words else "-"
    if "BLOCK" in name or "SHADE" in name:
        if name.startswith(("LEFT ", "RIGHT ")):
            return "|"
        if name.startswith("UPPER ONE EIGHTH"):
            return "-"
        if name.startswith("LOWER ONE EIGHTH"):
            return "_"
        return "#"
    plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 128)
    if len(plain) == 1:
        return plain
    return "??" if unicodedata.east_asian_width(ch) in ("W", "F") else "?"


_TABLE = _AsciiTable()


def to_ascii(text: str) -> str:
    """`text` with every character outside ASCII replaced by a stand-in of the same width."""
    return text if text.isascii() else text.translate(_TABLE)
