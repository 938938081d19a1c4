"""USD and DIEM are never summed silently (issue 20.4): History's cost per unit is per SKU and
currency, a DIEM amount never shows with `$`, and where a sum of the two is all Venice sent (a
key's day without the `*DailyUsd` arrays), it is labelled USD+DIEM."""

from __future__ import annotations

import json
from datetime import date

from textual.widgets import Static

from tests.harness import demo_app, settle
from tests.payloads import encode
from venice_tui.api.decoder import decode_usage
from venice_tui.api.ledger import decode_ledger_json
from venice_tui.api.period import Period
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger_query import LedgerView, cost_per_sku
from venice_tui.core import format as fmt
from venice_tui.core.budgets import Budgets, Limits, evaluate
from venice_tui.ui.screens.history_text import sku_table

TTS = "kokoro-tts-tts-char"


def entry(stamp: str, currency: str, amount: float, units: float) -> dict[str, object]:
    return {
        "timestamp": stamp,
        "sku": TTS,
        "currency": currency,
        "amount": -amount,
        "units": units,
        "pricePerUnitUsd": 0.0000035,
        "inferenceDetails": {"requestId": f"req-{stamp}-{currency}"},
    }


def archive_of(*rows: dict[str, object]) -> Archive:
    archive = Archive.in_memory()
    page = decode_ledger_json(json.dumps({"data": list(rows), "nextCursor": None}))
    archive.store_ledger_page(page.entries, {})
    return archive


def test_a_sku_paid_in_usd_and_diem_is_two_rows_each_in_its_currency() -> None:
    archive = archive_of(
        entry("2026-11-30T10:00:00.000Z", "USD", 0.11, 31_000),
        entry("2026-11-30T11:00:00.000Z", "DIEM", 0.19, 54_000),
        entry("2026-11-30T12:00:00.000Z", "BUNDLED_CREDITS", 0.02, 6_000),
    )
    skus = archive.run(lambda db: cost_per_sku(db, LedgerView()))
    assert [(s.sku, s.currency) for s in skus] == [
        (TTS, "DIEM"),
        (TTS, "USD"),
        (TTS, "BUNDLED_CREDITS"),
    ]
    lines = str(sku_table(skus)).splitlines()
    assert "Cost per unit by SKU and currency" in lines
    amounts = [line for line in lines if line.startswith(TTS)]
    assert amounts[0].endswith(" 0.19 DIEM") and "$" not in amounts[0]
    assert amounts[1].endswith(" $0.11")
    assert amounts[2].endswith(" $0.02 credits")
    assert not any("$0.30" in line or "$0.32" in line for line in lines)  # never the sum
    prices = [line for line in lines if "/unit" in line]
    assert "DIEM/unit" in prices[0] and "$" not in prices[0]
    assert "$" in prices[1] and "DIEM" not in prices[1]


def test_money_says_every_currency_and_gives_no_dollar_to_one_it_does_not_know() -> None:
    assert fmt.money_in(1.2, "USD") == "$1.20"
    assert fmt.money_in(0.19, "DIEM") == "0.19 DIEM"
    assert fmt.money_in(1.39, fmt.USD_AND_DIEM) == "1.39 USD+DIEM"
    assert fmt.money_in(0.05, "BUNDLED_CREDITS") == "$0.05 credits"
    assert fmt.money_in(3, "VVV") == "3.00 VVV"
    assert fmt.unit_price(0.0344, "DIEM") == "0.0344 DIEM/unit"
    assert fmt.unit_price(0.0344, "USD") == "$0.0344/unit"


def test_a_key_budget_without_the_usd_part_is_set_against_usd_and_diem_labelled_so() -> None:
    today = date(2026, 11, 25)
    payload = {
        "byDate": [{"date": today.isoformat(), "USD": 4, "DIEM": 8}],
        "byModel": [],
        "byKey": [{"apiKeyId": "key-prod-000001", "description": "Production", "totalUsd": 4}],
        "byKeyDaily": [{"date": today.isoformat(), "Production": 12}],  # no byKeyDailyUsd
        "topKeyNames": ["Production"],
    }
    month = decode_usage(encode(payload), Period.between(today, today), today)
    budgets = Budgets(keys={"key-prod-000001": Limits(daily_usd=10)})
    (finding,) = evaluate(budgets, month, today=today)
    assert finding.unit == "USD+DIEM"
    assert "12.00 USD+DIEM of $10.00" in finding.message
    assert "$12.00" not in finding.message


async def test_history_never_shows_a_diem_amount_with_a_dollar() -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        text = str(app.screen.query_one("#history-skus", Static).render())
    rows = text.splitlines()
    assert "Cost per unit by SKU and currency" in rows
    diem_rows = [r for r in rows if "DIEM" in r]
    usd_rows = [r for r in rows if r.rstrip().endswith(("/unit",)) and "$" in r]
    assert diem_rows and usd_rows  # the demo pays in both
    assert all("$" not in r for r in diem_rows)
