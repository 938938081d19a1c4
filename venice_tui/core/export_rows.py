"""The rows each screen exports: the numbers as Venice sent them (no rounding for display),
dates and times in ISO 8601 UTC, shares as fractions, nothing the screen does not hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from venice_tui.api.clock import iso_utc
from venice_tui.api.models import DailyTotal, ModelUsage
from venice_tui.core.export import ExportSpan, ExportTable, Value, iso_time
from venice_tui.core.key_rows import KeyView

if TYPE_CHECKING:
    from venice_tui.archive.ledger_query import LedgerLine

DAILY_COLUMNS = ("date", "usd", "diem")
MODEL_COLUMNS = ("model", "type", "unit", "units", "usd", "diem", "share")
KEY_COLUMNS = (
    "key",
    "keyId",
    "type",
    "usd",
    "diem",
    "share",
    "limitUsd",
    "limitDiem",
    "limitPeriod",
    "usedUsd",
    "usedDiem",
    "lastUsedAt",
    "expiresAt",
    "deleted",
    "warnings",
)
LEDGER_COLUMNS = (
    "time",
    "sku",
    "units",
    "currency",
    "charged",
    "pricePerUnit",
    "promptTokens",
    "completionTokens",
    "executionMs",
    "requestId",
)


def daily_table(days: Sequence[DailyTotal]) -> ExportTable:
    rows = [(d.day.isoformat(), d.usd, d.diem) for d in days]
    return ExportTable("overview", DAILY_COLUMNS, rows)


def model_table(models: Sequence[ModelUsage], total: float) -> ExportTable:
    rows: list[tuple[Value, ...]] = [
        (m.name, m.model_type, m.unit_type, m.units, m.usd, m.diem, _share(m.spend, total))
        for m in models
    ]
    return ExportTable("models", MODEL_COLUMNS, rows)


def key_table(views: Sequence[KeyView], total: float) -> ExportTable:
    return ExportTable("keys", KEY_COLUMNS, [_key_row(v, total) for v in views])


def _key_row(view: KeyView, total: float) -> tuple[Value, ...]:
    usage, info = view.usage, view.info
    kind = "web app" if view.is_web_app else info.key_type if info else None
    return (
        view.description,
        view.key_id,
        kind,
        usage.usd if usage else None,
        usage.diem if usage else None,
        _share(view.spend, total) if usage else None,
        info.limit_usd if info else None,
        info.limit_diem if info else None,
        info.limit_period if info and info.has_limit else None,
        info.used_usd if info else None,
        info.used_diem if info else None,
        iso_time(info.last_used_at) if info else None,
        iso_time(info.expires_at) if info else None,
        view.deleted,
        "; ".join(view.health.words) or None,
    )


def ledger_table(lines: Sequence[LedgerLine]) -> ExportTable:
    rows = [
        (
            _ms_iso(line.ts),
            line.sku,
            line.units,
            line.currency,
            line.charged,
            line.price,
            line.prompt_tokens,
            line.completion_tokens,
            line.exec_ms,
            line.request_id,
        )
        for line in lines
    ]
    return ExportTable("history", LEDGER_COLUMNS, rows)


def ledger_span(
    label: str, day: date | None, hour: int | None, start: int | None, end: int | None
) -> ExportSpan:
    """What History's rows cover: the last 24 hours (`24h`), one UTC day or one of its hours,
    as the window [start, end) of the rows' times."""
    slug = (
        "24h" if day is None else f"{day:%Y-%m-%d}" + (f"T{hour:02d}" if hour is not None else "")
    )
    if start is None or end is None:  # nothing read from the archive yet
        return ExportSpan(label, slug, "", "")
    return ExportSpan(label, slug, _ms_iso(start), _ms_iso(end))


def _share(part: float, total: float) -> float | None:
    return part / total if total else None


def _ms_iso(ms: int) -> str:
    return iso_utc(datetime.fromtimestamp(ms / 1000, UTC), "milliseconds")
