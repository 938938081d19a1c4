"""Export a view: its table as CSV or JSON with the raw numbers (never the rounded ones on
screen), in the order and under the filter shown, and the name of the file it goes to.

Account data reaches here already made visible (`api.text.visible`); the CSV writer quotes
commas, quotes and line breaks and keeps a spreadsheet from running a name as a formula, and the
JSON is the same safe-to-print JSON as `report --json`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from venice_tui.api.clock import iso_utc
from venice_tui.core.report import dumps_json

Value = str | float | int | bool | None
Format = Literal["csv", "json", "svg"]
FORMATS: tuple[Format, ...] = ("csv", "json", "svg")


@dataclass(frozen=True, slots=True)
class ExportTable:
    #: The screen's name, e.g. `models`.
    screen: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Value, ...]]


@dataclass(frozen=True, slots=True)
class ExportSpan:
    """Exactly what the rows cover: a period of days (`2026-10-27` to `2026-11-25`, both in)
    or a window of time (History: `[start, end)` in ISO 8601 UTC)."""

    label: str
    #: A file-name part: `30d`, `2026-10-01_2026-10-31`, `24h`, `2026-11-24`, `2026-11-24T13`.
    slug: str
    start: str
    end: str

    @classmethod
    def of_days(cls, label: str, slug: str, first: date, last: date) -> ExportSpan:
        return cls(label, slug, first.isoformat(), last.isoformat())


@dataclass(frozen=True, slots=True)
class ExportContext:
    """Whose numbers and which period, for the file name and the JSON header."""

    profile: str
    span: ExportSpan
    at: datetime
    filter_text: str = ""


def to_csv(table: ExportTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(tuple(_csv_cell(value) for value in row) for row in table.rows)
    return out.getvalue()


#: A spreadsheet reads a cell starting with one of these as a formula (`=HYPERLINK(…)`).
FORMULA_STARTS = ("=", "+", "-", "@")


def _csv_cell(value: Value) -> str | float | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # a name from the server is shown as text, never run as a formula
    return _whole(value) if isinstance(value, float) else value


def _plain(value: Value) -> Value:
    return _whole(value) if isinstance(value, float) else value


def _whole(value: float) -> float | int:
    """`86418950.0` units as `86418950`; other numbers as the shortest text that reads back
    as the same float (Python's repr), so nothing is rounded."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def to_json(table: ExportTable, context: ExportContext) -> str:
    return dumps_json(
        {
            "screen": table.screen,
            "profile": context.profile,
            "period": {
                "label": context.span.label,
                "start": context.span.start,
                "end": context.span.end,
            },
            "filter": context.filter_text or None,
            "exportedAt": iso_utc(context.at, "seconds"),
            "columns": list(table.columns),
            "rows": [
                {column: _plain(value) for column, value in zip(table.columns, row, strict=True)}
                for row in table.rows
            ],
        }
    )


def render(table: ExportTable, context: ExportContext, form: Format) -> bytes:
    text = to_csv(table) if form == "csv" else to_json(table, context)
    return text.encode()


def file_name(context: ExportContext, screen: str, form: Format) -> str:
    """`venice-work-models-30d-20261125T153000Z.csv`: profile, screen, period, UTC time."""
    stamp = context.at.strftime("%Y%m%dT%H%M%SZ")
    slug = _safe(context.span.slug)
    return f"venice-{_safe(context.profile)}-{_safe(screen)}-{slug}-{stamp}.{form}"


def _safe(text: str) -> str:
    """A profile name as a file name part: letters, digits, `.`, `_`, `-` (others become `_`)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", text).strip(".") or "_"


def iso_time(moment: datetime | None) -> str | None:
    return None if moment is None else iso_utc(moment)
