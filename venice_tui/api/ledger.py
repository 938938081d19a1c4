"""`GET /billing/usage-history`: the per-request ledger, one page at a time, JSON or CSV.

Every value is checked as it is decoded: amounts finite and plausible, timestamps real, SKUs and
request ids made safe to show, the cursor only the characters Venice promises (it goes back into
a URL). A page that cannot be made sense of is one `ResponseShapeError` naming the problem.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from venice_tui.api.calls import Call
from venice_tui.api.endpoint import USAGE_HISTORY_PATH
from venice_tui.api.values import (
    MAX_PLAUSIBLE,
    BadValue,
    ResponseShapeError,
    decode_wire,
    moment,
    quoted,
    safe_name,
)

PAGE_SIZE = 1000
_CURSOR_RE = re.compile(r"[A-Za-z0-9_-]{1,512}")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    #: When the entry was created, milliseconds since the epoch (UTC).
    ts: int
    sku: str
    currency: str
    #: Negative for debits, as Venice sends it.
    amount: float
    units: float
    price: float | None
    notes: str
    request_id: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    exec_ms: int | None

    @property
    def charged(self) -> float:
        """What the entry cost (a debit's amount, positive)."""
        return -self.amount


@dataclass(frozen=True, slots=True)
class LedgerPage:
    entries: tuple[LedgerEntry, ...]
    next_cursor: str | None


def history_call(
    start: datetime | None = None,
    end: datetime | None = None,
    cursor: str | None = None,
    as_csv: bool = False,
    page_size: int = PAGE_SIZE,
) -> Call:
    """The first page of a walk (filters), or the next one (the cursor alone: filters sent
    beside a cursor are a 400)."""
    if cursor is not None:
        params = {"cursor": cursor}
    else:
        params = {"pageSize": str(page_size)}
        if start is not None:
            params["startTimestamp"] = _timestamp(start)
        if end is not None:
            params["endTimestamp"] = _timestamp(end)
    return Call(
        USAGE_HISTORY_PATH,
        params,
        "the usage ledger",
        accept="text/csv" if as_csv else "application/json",
    )


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Details(msgspec.Struct):
    requestId: Any = None
    promptTokens: Any = None
    completionTokens: Any = None
    inferenceExecutionTime: Any = None


class _Entry(msgspec.Struct):
    amount: Any = None
    currency: Any = None
    inferenceDetails: _Details | None = None
    notes: Any = None
    pricePerUnitUsd: Any = None
    sku: Any = None
    timestamp: Any = None
    units: Any = None


class _Page(msgspec.Struct):
    data: list[_Entry]
    nextCursor: Any = None


_decoder = msgspec.json.Decoder(_Page, strict=False)


def _too_many(rows: int, max_rows: int) -> ResponseShapeError:
    return ResponseShapeError(
        f"Venice sent a ledger page of {rows:,} rows where at most {max_rows:,} were asked "
        "for; it was not stored"
    )


def decode_ledger_json(body: bytes | str, max_rows: int = PAGE_SIZE) -> LedgerPage:
    wire: _Page = decode_wire(_decoder, body, "the usage ledger")
    if len(wire.data) > max_rows:
        raise _too_many(len(wire.data), max_rows)
    names = _Names()
    try:
        entries = tuple(
            names.entry(
                f"data[{i}]",
                row.timestamp,
                row.sku,
                row.currency,
                row.amount,
                row.units,
                row.pricePerUnitUsd,
                row.notes,
                *(
                    (
                        row.inferenceDetails.requestId,
                        row.inferenceDetails.promptTokens,
                        row.inferenceDetails.completionTokens,
                        row.inferenceDetails.inferenceExecutionTime,
                    )
                    if row.inferenceDetails is not None
                    else (None, None, None, None)
                ),
            )
            for i, row in enumerate(wire.data)
        )
        return LedgerPage(entries, _cursor(wire.nextCursor))
    except BadValue as exc:
        raise ResponseShapeError(
            f"Venice sent a ledger page of an unexpected shape: {exc}"
        ) from None


def decode_ledger_csv(
    body: bytes, next_cursor: str | None, max_rows: int = PAGE_SIZE
) -> LedgerPage:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResponseShapeError("Venice sent a CSV ledger page that is not UTF-8") from None
    if text.lstrip()[:1] in ("<", "{"):
        raise ResponseShapeError("Venice sent something else than the CSV ledger page asked for")
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower(): name for name in reader.fieldnames or ()}
    missing = {"timestamp", "sku", "currency", "amount"} - columns.keys()
    if missing:
        raise ResponseShapeError(
            f"Venice sent a CSV ledger page without the column(s) {', '.join(sorted(missing))}"
        )
    names = _Names()

    def cell(row: Mapping[str, str | None], name: str) -> str | None:
        key = columns.get(name.lower())
        value = row.get(key) if key is not None else None
        return value if value not in (None, "") else None

    try:
        entries = tuple(
            names.entry(
                f"line {i + 2}",
                cell(row, "timestamp"),
                cell(row, "sku"),
                cell(row, "currency"),
                cell(row, "amount"),
                cell(row, "units"),
                cell(row, "pricePerUnitUsd"),
                cell(row, "notes"),
                cell(row, "requestId"),
                cell(row, "promptTokens"),
                cell(row, "completionTokens"),
                cell(row, "inferenceExecutionTime"),
            )
            for i, row in enumerate(_at_most(reader, max_rows))
        )
        return LedgerPage(entries, _cursor(next_cursor))
    except (BadValue, csv.Error) as exc:
        raise ResponseShapeError(
            f"Venice sent a CSV ledger page that could not be read: {exc}"
        ) from None


def _at_most(
    rows: Iterator[dict[str, str | None]], max_rows: int
) -> Iterator[dict[str, str | None]]:
    """The rows of a CSV page, refusing the page as soon as it has more than `max_rows`."""
    for count, row in enumerate(rows, 1):
        if count > max_rows:
            rest = sum(1 for _ in rows)
            raise _too_many(count + rest, max_rows)
        yield row


class _Names:
    """Texts that repeat on every row (SKUs, currencies, notes) checked once per page."""

    def __init__(self) -> None:
        self._seen: dict[object, str] = {}

    def text(self, value: object) -> str:
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = safe_name(value)
        return found

    def entry(
        self,
        where: str,
        timestamp: object,
        sku: object,
        currency: object,
        amount: object,
        units: object,
        price: object,
        notes: object,
        request_id: object,
        prompt: object,
        completion: object,
        elapsed: object,
    ) -> LedgerEntry:
        when = moment(timestamp, f"{where}.timestamp")
        if when is None:
            raise BadValue(f"{where}.timestamp is missing")
        return LedgerEntry(
            ts=int(when.timestamp() * 1000),
            sku=self.text(sku) or "unknown",
            currency=self.text(currency).upper() or "?",
            amount=_amount(amount, f"{where}.amount"),
            units=_amount(units, f"{where}.units") if units is not None else 0.0,
            price=_amount(price, f"{where}.pricePerUnitUsd") if price is not None else None,
            notes=self.text(notes),
            request_id=safe_name(request_id) or None,
            prompt_tokens=_count(prompt, f"{where}.promptTokens"),
            completion_tokens=_count(completion, f"{where}.completionTokens"),
            exec_ms=_count(elapsed, f"{where}.inferenceExecutionTime"),
        )


def _amount(value: object, where: str) -> float:
    if isinstance(value, bool) or value is None:
        raise BadValue(f"{where} is {value!r}, not a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise BadValue(f"{where} is {quoted(value)}, not a number") from None
    if not math.isfinite(number) or abs(number) > MAX_PLAUSIBLE:
        raise BadValue(f"{where} is {quoted(value)}, not a plausible amount")
    return number


def _count(value: object, where: str) -> int | None:
    if value is None:
        return None
    number = _amount(value, where)
    if number < 0 or number != int(number):
        raise BadValue(f"{where} is {quoted(value)}, not a count")
    return int(number)


def _cursor(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _CURSOR_RE.fullmatch(value):
        raise BadValue(f"nextCursor is {quoted(value)}, not a cursor Venice would send")
    return value


def ledger_page(call: Call, body: bytes, next_cursor_header: str | None) -> LedgerPage:
    """Decode a page as asked for (CSV when the call asked for it), refusing one with more rows
    than were asked for (a cursor carries the walk's page size, `PAGE_SIZE`)."""
    try:
        max_rows = int(call.params.get("pageSize", PAGE_SIZE))
    except ValueError:
        max_rows = PAGE_SIZE
    if call.accept == "text/csv":
        return decode_ledger_csv(body, next_cursor_header, max_rows)
    return decode_ledger_json(body, max_rows)


def total_charged(entries: Iterable[LedgerEntry]) -> float:
    return math.fsum(e.charged for e in entries)
