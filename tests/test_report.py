import json
from datetime import date

from tests.payloads import encode, live_variant
from venice_tui.api.decoder import decode_usage
from venice_tui.api.period import Period
from venice_tui.core import report

TODAY = date(2026, 11, 25)


def data():  # type: ignore[no-untyped-def]
    return decode_usage(encode(live_variant()), Period.lookback(3), TODAY)


def test_json_follows_the_contract() -> None:
    out = json.loads(report.render_json(data(), TODAY))
    assert set(out) == {"period", "totals", "byDate", "byModel", "byKey"}
    assert out["period"]["start"] == "2026-11-23" and out["period"]["end"] == "2026-11-25"
    assert out["totals"] == {"usd": 2.0, "diem": 2.5}
    assert out["byDate"][1] == {"date": "2026-11-24", "usd": 0.0, "diem": 0.0}
    assert out["byKey"][-1]["apiKeyId"] is None
    assert "breakdown" not in out["byModel"][0]


def test_csv() -> None:
    assert report.render_csv(data()).splitlines() == [
        "date,usd,diem",
        "2026-11-23,1.25,2.0",
        "2026-11-24,0.0,0.0",
        "2026-11-25,0.75,0.5",
    ]


def test_table_shows_totals_rows_models_and_keys() -> None:
    text = report.render_table(data(), TODAY)
    assert "Venice usage · 3d (2026-11-23 → 2026-11-25, UTC)" in text
    assert "$2.00 USD · 2.50 DIEM" in text
    assert "1.2M tokens" in text and "12 images" in text
    assert "Staging (" not in text  # the decoder keeps descriptions as sent
    assert "…c-3333" in text or "Key ...c-3333" in text


def test_empty_account_says_so() -> None:
    empty = decode_usage(
        encode({"byDate": [], "byModel": [], "byKey": []}), Period.lookback(7), TODAY
    )
    assert "No usage in this period (7d)" in report.render_table(empty, TODAY)
