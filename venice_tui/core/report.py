"""`venice-tui report`: the period's usage as a readable table, JSON or CSV. Imports no Textual."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from venice_tui.api.models import KeyUsage, ModelUsage, UsageAnalytics
from venice_tui.core import format as fmt
from venice_tui.core.key_names import key_names

TOP_ROWS = 10
_Row = TypeVar("_Row", ModelUsage, KeyUsage)


#: Characters JSON allows raw but a terminal may obey (C1 controls, DEL) or that break lines in
#: JavaScript (U+2028/9): written as `\uXXXX` escapes. They can only occur inside strings.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def render_json(data: UsageAnalytics, today: date) -> str:
    return dumps_json(as_json(data, today))


def dumps_json(value: object) -> str:
    """Readable JSON (UTF-8 names kept) that is safe to print: no raw control characters."""
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def as_json(data: UsageAnalytics, today: date) -> dict[str, Any]:
    first, last = data.period.first_and_last(today)
    return {
        "period": {
            "lookback": f"{data.period.lookback_days}d" if data.period.is_lookback else None,
            "start": first.isoformat(),
            "end": last.isoformat(),
            "days": data.period.day_count,
            "timezone": "UTC",
            "serverLookback": data.server_lookback,
        },
        "totals": {"usd": data.totals.usd, "diem": data.totals.diem},
        "byDate": [
            {"date": row.day.isoformat(), "usd": row.usd, "diem": row.diem} for row in data.daily
        ],
        "byModel": [
            {
                "modelName": m.name,
                "unitType": m.unit_type,
                "modelType": m.model_type,
                "totalUsd": m.usd,
                "totalDiem": m.diem,
                "totalUnits": m.units,
                **(
                    {
                        "breakdown": [
                            {"type": b.type, "usd": b.usd, "diem": b.diem, "units": b.units}
                            for b in m.breakdown
                        ]
                    }
                    if m.breakdown
                    else {}
                ),
            }
            for m in data.models
        ],
        "byKey": [
            {
                "apiKeyId": k.key_id,
                "description": k.description,
                "totalUsd": k.usd,
                "totalDiem": k.diem,
                "totalUnits": k.units,
            }
            for k in data.keys
        ],
    }


def render_csv(data: UsageAnalytics) -> str:
    lines = ["date,usd,diem"]
    lines += [f"{row.day.isoformat()},{row.usd!r},{row.diem!r}" for row in data.daily]
    return "\n".join(lines) + "\n"


def render_table(data: UsageAnalytics, today: date) -> str:
    first, last = data.period.first_and_last(today)
    span = f"{first.isoformat()} → {last.isoformat()}, UTC"
    title = (
        f"Venice usage · {data.period.label} ({span})"
        if data.period.is_lookback
        else f"Venice usage · {span}"
    )
    out = [title, ""]
    total = data.totals
    out.append(f"Total   {fmt.usd(total.usd)} USD · {fmt.diem(total.diem)} DIEM")
    if data.is_empty:
        out += ["", f"No usage in this period ({data.period.label})."]
        return "\n".join(out) + "\n"
    out += ["", "Daily"]
    out += _table(
        ["Date", "USD", "DIEM"],
        [[row.day.isoformat(), fmt.usd(row.usd), fmt.diem(row.diem)] for row in data.daily],
        right=(1, 2),
    )
    spend = total.spend
    out += ["", _section("Top models by USD + DIEM", len(data.models))]
    out += _table(
        ["Model", "Type", "Units", "USD", "DIEM", "Share"],
        [
            [
                m.name,
                m.model_type or "—",
                fmt.units(m.units, m.unit_type),
                fmt.usd(m.usd),
                fmt.diem(m.diem),
                fmt.share(m.spend, spend),
            ]
            for m in by_spend(data.models)[:TOP_ROWS]
        ],
        right=(2, 3, 4, 5),
    )
    out += ["", _section("Top API keys by USD + DIEM", len(data.keys))]
    names = key_names(data.keys)
    out += _table(
        ["Key", "Id", "USD", "DIEM", "Share"],
        [
            [
                names.name(k.key_id, k.description),
                fmt.short_id(k.key_id),
                fmt.usd(k.usd),
                fmt.diem(k.diem),
                fmt.share(k.spend, spend),
            ]
            for k in by_spend(data.keys)[:TOP_ROWS]
        ],
        right=(2, 3, 4),
    )
    return "\n".join(out) + "\n"


def by_spend(rows: Sequence[_Row]) -> list[_Row]:
    """Largest USD + DIEM first, whatever order Venice sent them in."""
    return sorted(rows, key=lambda row: row.spend, reverse=True)


def _section(title: str, count: int) -> str:
    if count > TOP_ROWS:
        return f"{title} ({TOP_ROWS} of {count:,}; --json or --csv for all)"
    return title


def _table(header: list[str], rows: list[list[str]], right: tuple[int, ...]) -> list[str]:
    if not rows:
        return ["  (none)"]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    widths[0] = min(widths[0], 40)

    def line(cells: list[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = fmt.truncate(cell, widths[i])
            parts.append(text.rjust(widths[i]) if i in right else text.ljust(widths[i]))
        return ("  " + "  ".join(parts)).rstrip()

    return [line(header), *(line(r) for r in rows)]
