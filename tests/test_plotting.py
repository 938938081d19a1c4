"""The chart text itself: bars stand on the axis, lines read apart without colour."""

from __future__ import annotations

from venice_tui.core.glyphs import UNICODE
from venice_tui.ui.charts.plotting import build_chart
from venice_tui.ui.charts.spec import ChartSpec, Series

COLORS = {"primary": (0, 0, 255), "accent": (255, 0, 0)}


def plain(text: str) -> list[str]:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()


def test_a_day_paid_only_in_diem_stands_on_the_axis() -> None:
    spec = ChartSpec(
        "stacked",
        ("d1", "d2", "d3"),
        (
            Series("USD", (0.0, 3.0, 0.0), "primary", "#"),
            Series("DIEM", (5.0, 5.0, 6.0), "accent", "="),
        ),
    )
    lines = plain(build_chart(spec, COLORS, 40, 12, ascii_only=True))
    bottom = next(line for line in reversed(lines) if "=" in line or "#" in line)
    # the DIEM-only days' bars reach the bottom row, beside the USD day's
    assert bottom.count("=") > 0 and bottom.count("#") > 0
    first = bottom.index("=")
    assert first < bottom.index("#")  # day 1 (DIEM only) is at the left, on the axis


def test_one_day_is_a_narrow_bar_not_a_wall() -> None:
    spec = ChartSpec("bar", ("d1",), (Series("USD", (5.0,), "primary", "#"),), legend=False)
    lines = plain(build_chart(spec, COLORS, 60, 10, ascii_only=True))
    widest = max(line.count("#") for line in lines)
    assert 0 < widest < 20


def test_every_series_has_its_own_marker() -> None:
    assert len(set(UNICODE.markers)) == len(UNICODE.markers)
    from venice_tui.api.models import DailySeries
    from venice_tui.ui.charts.specs import top_series_lines

    days = tuple(__import__("datetime").date(2026, 11, d) for d in (1, 2, 3))
    names = tuple(f"s{i}" for i in range(5))
    series = DailySeries(names, days, {n: (1.0, 2.0, 3.0) for n in names})
    spec = top_series_lines(series, "models", "both")
    assert spec is not None
    assert len({s.marker for s in spec.series}) == 5
