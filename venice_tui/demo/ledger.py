"""The demo account's per-request ledger (`/billing/usage-history`), consistent with its usage.

Each day's requests are drawn from the same seeded story as the usage: every model's spend of
the day is split into requests at seeded times (`schedule`), an LLM request into one row per
token type. DIEM pays first until the day's allocation is spent, then USD (a request that
crosses the line gets a row in each), so the rows of a day add up to that day's usage totals,
per currency, and today's rows (they stop at the server's "now" and never change once served)
to today's usage so far and the DIEM the balance says is gone.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from venice_tui.demo.catalog import DemoModel
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.schedule import day_requests

UNIT_SKUS = {"images": "image-unit", "chars": "tts-char", "minutes": "asr-minute"}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    ts: int  # ms since the epoch, UTC
    seq: int  # order within the day (rows of one request are adjacent)
    sku: str
    currency: str
    amount: float  # negative: a debit
    units: float
    price: float
    request_id: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    exec_ms: int | None

    def as_json(self) -> dict[str, object]:
        details = None
        if self.request_id is not None:
            details = {
                "completionTokens": self.completion_tokens,
                "inferenceExecutionTime": self.exec_ms,
                "promptTokens": self.prompt_tokens,
                "requestId": self.request_id,
            }
        return {
            "amount": self.amount,
            "currency": self.currency,
            "inferenceDetails": details,
            "notes": "API Inference",
            "pricePerUnitUsd": self.price,
            "sku": self.sku,
            "timestamp": iso_ms(self.ts),
            "units": self.units,
        }


def iso_ms(ts: int) -> str:
    moment = datetime.fromtimestamp(ts / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts % 1000:03d}Z"


def sku_base(model: DemoModel) -> str:
    return re.sub(r"[^a-z0-9]+", "-", model.name.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class _Piece:
    """One row before the currency is known."""

    ts: int
    sku: str
    amount: float
    price: float
    request_id: str | None
    prompt: int | None
    completion: int | None
    exec_ms: int | None


class DemoLedger:
    def __init__(self, account: DemoAccount) -> None:
        self.account = account
        self._days: OrderedDict[date, list[LedgerRow]] = OrderedDict()

    def day(self, day: date, now: datetime) -> list[LedgerRow]:
        """Every row of `day` (ascending), today's only up to `now`."""
        rows = self._days.get(day)
        if rows is None:
            rows = self._build(day, now)
            self._days[day] = rows
            if len(self._days) > 8:
                self._days.popitem(last=False)
        else:
            self._days.move_to_end(day)
        cutoff = int(now.timestamp() * 1000)
        return rows if rows and rows[-1].ts <= cutoff else [r for r in rows if r.ts <= cutoff]

    def _build(self, day: date, now: datetime) -> list[LedgerRow]:
        if day > now.astimezone(UTC).date():
            return []
        spends, diem = self.account.whole_day(day, now)
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)
        pieces: list[_Piece] = []
        for index, (model, spend) in enumerate(zip(self.account.models, spends, strict=True)):
            if spend > 0:
                pieces += self._requests(day, midnight, index, model, spend)
        pieces.sort(key=lambda p: p.ts)
        return self._pay(day, pieces, diem)

    def _requests(
        self, day: date, midnight: int, index: int, model: DemoModel, spend: float
    ) -> list[_Piece]:
        ordinal = day.toordinal()
        requests = day_requests(
            self.account.seed, ordinal, index, model.model_type, spend, self.account.request_scale
        )
        base = sku_base(model)
        pieces: list[_Piece] = []
        for i, planned in enumerate(requests):
            ts = midnight + planned.offset
            amount = planned.share * spend
            request = f"req-{ordinal:x}{index:03x}{i:06x}"
            if model.parts:
                prompt = round(
                    amount * model.parts[0].cost_share / model.parts[0].usd_per_million * 1e6
                )
                completion = round(
                    amount * model.parts[1].cost_share / model.parts[1].usd_per_million * 1e6
                )
                elapsed = 300 + completion * 12
                shares = math.fsum(p.cost_share for p in model.parts)
                for part in model.parts:
                    kind = part.type.lower().replace(" ", "-")
                    pieces.append(
                        _Piece(
                            ts,
                            f"{base}-llm-{kind}-mtoken",
                            amount * part.cost_share / shares,
                            part.usd_per_million,
                            f"chatcmpl-{request}",
                            prompt,
                            completion,
                            elapsed,
                        )
                    )
            else:
                sku = f"{base}-{UNIT_SKUS.get(model.unit_type, model.unit_type + '-unit')}"
                pieces.append(_Piece(ts, sku, amount, model.unit_price, request, None, None, 2000))
        return pieces

    def _pay(self, day: date, pieces: list[_Piece], diem: float) -> list[LedgerRow]:
        """DIEM first, then USD; the rows of each currency sum exactly to the day's."""
        rows: list[LedgerRow] = []
        diem_left = diem
        for piece in pieces:
            parts = []
            if diem_left > 1e-12:
                paid = min(piece.amount, diem_left)
                diem_left -= paid
                parts.append(("DIEM", paid))
                if piece.amount - paid > 1e-12:
                    parts.append(("USD", piece.amount - paid))
            else:
                parts.append(("USD", piece.amount))
            for currency, amount in parts:
                rows.append(
                    LedgerRow(
                        piece.ts,
                        len(rows),
                        piece.sku,
                        currency,
                        -round(amount, 9),
                        round(amount / piece.price, 9) if piece.price else 0.0,
                        piece.price,
                        piece.request_id,
                        piece.prompt,
                        piece.completion,
                        piece.exec_ms,
                    )
                )
        return rows


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
