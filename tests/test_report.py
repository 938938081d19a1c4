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
    # two keys share a description: the table names them apart (JSON keeps them as sent)
    assert "Staging (...a-1111)" in text and "Staging (...b-2222)" in text
    assert "…c-3333" in text or "Key ...c-3333" in text


def test_empty_account_says_so() -> None:
    empty = decode_usage(
        encode({"byDate": [], "byModel": [], "byKey": []}), Period.lookback(7), TODAY
    )
    assert "No usage in this period (7d)" in report.render_table(empty, TODAY)


def test_table_lists_the_largest_models_and_keys_first_whatever_the_api_order() -> None:
    payload = live_variant()
    payload["byModel"] = [
        {"modelName": f"m{i:02d}", "unitType": "tokens", "totalUsd": i, "totalDiem": 0}
        for i in range(1, 15)
    ]  # ascending: the API's order is not trusted to be by spend
    text = report.render_table(decode_usage(encode(payload), Period.lookback(3), TODAY), TODAY)
    section = text.split("Top models by USD + DIEM")[1].split("Top API keys")[0]
    names = [line.split()[0] for line in section.splitlines()[2:] if line.strip()]
    assert names[:3] == ["m14", "m13", "m12"] and len(names) == 10 and "m01" not in names
    assert "(10 of 14; --json or --csv for all)" in section


def test_json_escapes_c1_controls_and_never_writes_infinity() -> None:
    text = report.dumps_json({"name": "a\x9b31mb\x7f", "line": "x\u2028y", "ok": "é"})
    assert "\\u009b" in text and "\\u007f" in text and "\\u2028" in text and "é" in text
    assert json.loads(text)["name"] == "a\x9b31mb\x7f"
    import pytest

    with pytest.raises(ValueError):
        report.dumps_json({"usd": float("inf")})
