"""What a chart shows, as plain immutable data: series, labels, title. No drawing here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ChartKind = Literal["bar", "stacked", "line", "hbar"]
RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]
    #: A Textual theme variable ("primary", "accent", …); resolved to RGB when building.
    color: str
    #: A plotext marker ("braille", "sd") or one character: series read apart without colour.
    marker: str = "braille"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    kind: ChartKind
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    #: Short labels for x ticks (dates as `Nov 03`); every label when empty.
    tick_labels: tuple[str, ...] = field(default=())
    legend: bool = True
