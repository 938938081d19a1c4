"""`GET /billing/usage-history` as the live service answers it: a keyset walk in ascending time,
`pageSize` 10-1000, an opaque cursor that carries the filters (sent alone, or it is a 400),
expiring after a while (a 400: start again), JSON or CSV (`Accept: text/csv`, the cursor then
in `x-next-cursor`)."""

from __future__ import annotations

import base64
import bisect
import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

from venice_tui.demo.ledger import DemoLedger, LedgerRow, iso_ms
from venice_tui.demo.reply import Reply, json_reply

DEFAULT_PAGE = 1000
#: A cursor older than this (server time) is refused, as the live service does at some point.
CURSOR_LIFETIME = timedelta(minutes=30)
#: Without a `startTimestamp`, the walk starts this long ago.
DEFAULT_SINCE = timedelta(days=30)
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]00:00)")
CSV_COLUMNS = (
    "timestamp",
    "sku",
    "currency",
    "amount",
    "units",
    "pricePerUnitUsd",
    "notes",
    "requestId",
    "promptTokens",
    "completionTokens",
    "inferenceExecutionTime",
)


def history_reply(
    ledger: DemoLedger,
    query: dict[str, str],
    headers: dict[str, str],
    now: datetime,
    cursor_refused: bool = False,
    fault: str | None = None,
) -> Reply:
    """One page of the walk, or the 400 the live service would send. `fault` `ledger-loop`
    sends a cursor back as the next one; `ledger-future` stamps a page's last row 9999-12-31."""
    cursor = query.get("cursor")
    walk: _Walk | Reply | None
    if cursor is not None:
        if set(query) - {"cursor"}:
            return _bad("A cursor carries its filters: send it alone", "cursor")
        walk = None if cursor_refused else _read_cursor(cursor, now)
        if walk is None:
            return _bad("Invalid or expired cursor: start the walk again", "cursor")
    else:
        walk = _first_page(query, now)
    if isinstance(walk, Reply):
        return walk
    rows, following = _page(ledger, walk, now)
    wants_csv = "text/csv" in headers.get("accept", "")
    next_cursor = _write_cursor(walk, following, now) if following is not None else None
    if fault == "ledger-loop" and cursor is not None:
        next_cursor = cursor
    out_headers = {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
    }
    if wants_csv:
        out_headers["Content-Type"] = "text/csv; charset=utf-8"
        stamp = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
        out_headers["Content-Disposition"] = (
            f"attachment; filename=billing-usage-history-{stamp}.csv"
        )
        if next_cursor:
            out_headers["x-next-cursor"] = next_cursor
        return Reply(200, _csv(rows), out_headers)
    out_headers["Content-Type"] = "application/json"
    data = [r.as_json() for r in rows]
    if fault == "ledger-future" and data:
        data[-1] = {**data[-1], "timestamp": "9999-12-31T23:59:59.999Z"}
    body = {"data": data, "nextCursor": next_cursor}
    return Reply(200, json.dumps(body, separators=(",", ":")).encode(), out_headers)


class _Walk:
    """Where a walk stands: its window, page size, and the next row (day, index in the day)."""

    def __init__(self, start: int, end: int, size: int, day: date, index: int) -> None:
        self.start, self.end, self.size, self.day, self.index = start, end, size, day, index


def _first_page(query: dict[str, str], now: datetime) -> _Walk | Reply:
    size_text = query.get("pageSize", str(DEFAULT_PAGE))
    if not size_text.isdigit() or not 10 <= int(size_text) <= 1000:
        return _bad("pageSize must be an integer from 10 to 1000", "pageSize")
    bounds = []
    for name, default in (
        ("startTimestamp", now - DEFAULT_SINCE),
        ("endTimestamp", now),
    ):
        text = query.get(name)
        if text is None:
            bounds.append(default)
            continue
        if len(text) > 40 or not _TIMESTAMP_RE.fullmatch(text):
            return _bad("Invalid timestamp, expected ISO 8601 UTC with Z", name)
        try:
            bounds.append(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC))
        except ValueError:
            return _bad("Invalid timestamp, expected ISO 8601 UTC with Z", name)
    start, end = bounds
    if end <= start:
        return _bad("endTimestamp must be later than startTimestamp", "endTimestamp")
    start_ms, end_ms = _ms(start), min(_ms(end), _ms(now) + 1)
    return _Walk(start_ms, end_ms, int(size_text), start.date(), -1)


def _page(ledger: DemoLedger, walk: _Walk, now: datetime) -> tuple[list[LedgerRow], _Walk | None]:
    """Up to `walk.size` rows from the walk's position; the position after them, or None."""
    rows: list[LedgerRow] = []
    day, index = walk.day, walk.index
    last_day = datetime.fromtimestamp((walk.end - 1) / 1000, UTC).date()
    while day <= last_day:
        todays = ledger.day(day, now)
        if index < 0:  # the first page: from the window's start
            index = bisect.bisect_left([r.ts for r in todays], walk.start)
        while index < len(todays):
            row = todays[index]
            if row.ts >= walk.end:
                return rows, None
            if len(rows) == walk.size:
                return rows, _Walk(walk.start, walk.end, walk.size, day, index)
            rows.append(row)
            index += 1
        day, index = day + timedelta(days=1), 0
    return rows, None


def _write_cursor(walk: _Walk, at: _Walk, now: datetime) -> str:
    text = f"v1.{walk.start}.{walk.end}.{walk.size}.{at.day.toordinal()}.{at.index}.{int(now.timestamp())}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read_cursor(cursor: str, now: datetime) -> _Walk | None:
    if len(cursor) > 512 or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, start, end, size, ordinal, index, issued = text.split(".")
        if tag != "v1":
            return None
        if now.timestamp() - int(issued) > CURSOR_LIFETIME.total_seconds():
            return None
        return _Walk(int(start), int(end), int(size), date.fromordinal(int(ordinal)), int(index))
    except (ValueError, UnicodeDecodeError):
        return None


def _csv(rows: list[LedgerRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            (
                iso_ms(r.ts),
                r.sku,
                r.currency,
                repr(r.amount),
                repr(r.units),
                repr(r.price),
                "API Inference",
                r.request_id or "",
                "" if r.prompt_tokens is None else r.prompt_tokens,
                "" if r.completion_tokens is None else r.completion_tokens,
                "" if r.exec_ms is None else r.exec_ms,
            )
        )
    return out.getvalue().encode()


def _bad(message: str, field: str) -> Reply:
    return json_reply(
        400,
        {"error": message, "details": {"_errors": [], field: {"_errors": [message]}}},
    )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
