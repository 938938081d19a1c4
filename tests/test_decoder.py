from datetime import UTC, date
from typing import Any

import pytest

from tests.payloads import PUBLISHED_EXAMPLE, encode, live_variant
from venice_tui.api.decoder import decode_usage
from venice_tui.api.errors import BadResponseError
from venice_tui.api.period import Period
from venice_tui.api.values import ResponseShapeError, parse_day_value

TODAY = date(2026, 11, 25)


def test_published_example_decodes_with_gap_filled_ascending_rows() -> None:
    period = Period.between(date(2024, 1, 9), date(2024, 1, 15))
    data = decode_usage(encode(PUBLISHED_EXAMPLE), period, TODAY)
    assert [row.day for row in data.daily] == [date(2024, 1, d) for d in range(9, 16)]
    assert data.daily[-1].usd == 0.5 and data.daily[-1].diem == 10.25
    assert data.daily[-2].usd == 0.3 and data.daily[0].usd == 0.0
    assert data.totals.usd == 0.8
    assert data.totals.diem == 19.0
    model = data.models[0]
    assert (model.name, model.model_type, model.unit_type, model.units) == (
        "GLM 5.1",
        "LLM",
        "tokens",
        50000,
    )
    assert [b.type for b in model.breakdown] == ["Output", "Input"]
    assert data.model_series.names == ("GLM 5.1", "Kimi K2.6")
    assert data.model_series.combined["GLM 5.1"][-1] == 5.5
    assert data.model_series.usd is None


def test_web_app_row_has_no_id_and_a_stable_row_key() -> None:
    period = Period.between(date(2024, 1, 9), date(2024, 1, 15))
    data = decode_usage(encode(PUBLISHED_EXAMPLE), period, TODAY)
    web = data.keys[1]
    assert web.key_id is None and web.is_web_app and web.row_key == "web-app"
    assert data.keys[0].row_key == "key_abc123"


def test_live_variant_with_strings_gaps_usd_split_and_duplicates() -> None:
    data = decode_usage(encode(live_variant()), Period.lookback(3), TODAY)
    assert [(r.day.isoformat(), r.usd, r.diem) for r in data.daily] == [
        ("2026-11-23", 1.25, 2.0),
        ("2026-11-24", 0.0, 0.0),
        ("2026-11-25", 0.75, 0.5),
    ]
    assert data.totals.usd == 2.0 and data.totals.diem == 2.5
    assert (
        data.models[1].usd == 0.5
        and data.models[1].units == 12
        and data.models[1].model_type is None
    )
    assert data.model_series.names == ("Kimi K2.6", "Other")
    assert data.model_series.has_usd_split
    assert data.model_series.diem("Kimi K2.6") == (2.0, 0.0, 0.0)
    assert data.model_series.combined["Other"] == (0.25, 0.0, 0.75)
    # Duplicate descriptions stay apart by id; a blank description gets the live service's name.
    assert [k.row_key for k in data.keys] == [
        "aaaaaaaa-1111",
        "bbbbbbbb-2222",
        "cccccccc-3333",
        "web-app",
    ]
    assert data.keys[2].description == "Key ...c-3333"
    assert data.key_series.combined["Staging"] == (2.0, 0.0, 0.0)


def test_any_number_of_series_and_series_not_in_the_legend() -> None:
    payload = live_variant()
    names = [f"Model {i}" for i in range(60)]
    payload["topModels"] = [*names[:50], "Other"]
    payload["byModelDaily"] = [{"date": "2026-11-24", **{n: 1 for n in names}, "Other": 2}]
    payload.pop("byModelDailyUsd")
    data = decode_usage(encode(payload), Period.lookback(3), TODAY)
    assert len(data.model_series.names) == 61
    assert data.model_series.names[50] == "Other"
    assert data.model_series.names[-1] == "Model 59"


def test_missing_optional_parts_are_fine() -> None:
    payload = {"byDate": [], "byModel": [], "byKey": []}
    data = decode_usage(encode(payload), Period.lookback(7), TODAY)
    assert len(data.daily) == 7 and data.is_empty
    assert data.model_series.names == () and data.server_lookback == "7d"


def test_server_days_outside_the_period_are_kept_not_dropped() -> None:
    payload = {"byDate": [{"date": "2026-11-18", "USD": 1, "DIEM": 0}], "byModel": [], "byKey": []}
    data = decode_usage(encode(payload), Period.lookback(7), TODAY)
    assert data.daily[0].day == date(2026, 11, 18) and len(data.daily) == 8
    assert data.totals.usd == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        ("2026-11-25T00:00:00.000Z", date(2026, 11, 25)),
        ("2026-11-25T23:30:00-02:00", date(2026, 11, 26)),
        (1795564800000, date(2026, 11, 25)),
        ("1795564800000", date(2026, 11, 25)),
        (1795564800, date(2026, 11, 25)),
        (1795564800000.0, date(2026, 11, 25)),
    ],
)
def test_every_date_style(value: Any, expected: date) -> None:
    assert parse_day_value(value, "x") == expected


def _with(mutate: Any) -> bytes:
    payload = live_variant()
    mutate(payload)
    return encode(payload)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"", "empty response"),
        (b"<html><body>Bad gateway</body></html>", "HTML page"),
        (b'{"byDate": [{"date": "2026-', "cut off"),
        (b"[1, 2, 3]", "unexpected shape"),
        (b'{"data": []}', "unexpected shape"),
        (b"null", "unexpected shape"),
        (_with(lambda p: p["byDate"][0].update(USD="lots")), "byDate[0].USD"),
        (_with(lambda p: p["byDate"][0].update(date="yesterday")), "byDate[0].date"),
        (_with(lambda p: p["byDate"][0].update(date=None)), "byDate[0].date"),
        (_with(lambda p: p["byModel"][0].update(totalUsd=[1])), "byModel"),
        (
            _with(lambda p: p["byModelDaily"][0].update({"Kimi K2.6": "x"})),
            "byModelDaily[0].Kimi K2.6",
        ),
        (_with(lambda p: p["byDate"][0].update(date="1900-01-01")), "far outside"),
        (encode(live_variant()).replace(b'"USD": "1.25"', b'"USD": 1e400'), "out of range"),
        (_with(lambda p: p.update(byKey={"a": 1})), "byKey"),
        (_with(lambda p: p["byDate"][0].update(USD=True)), "byDate"),
        (_with(lambda p: p["byDate"][0].update(date="²")), "byDate[0].date is '²'"),
        (
            _with(lambda p: p["byDate"][0].update(USD="inf")),
            "byDate[0].USD is inf, not a plausible",
        ),
        (
            _with(lambda p: p["byDate"][0].update(USD="NaN")),
            "byDate[0].USD is nan, not a plausible",
        ),
        (_with(lambda p: p["byDate"][0].update(USD=1e300)), "not a plausible amount"),
        (
            encode(live_variant()).replace(
                b'"byKey": [', b'"byKey": [{"description": "\xff\xfe"},', 1
            ),
            "not valid UTF-8",
        ),
    ],
)
def test_hostile_bodies_raise_one_typed_error_naming_the_problem(body: bytes, needle: str) -> None:
    with pytest.raises(BadResponseError) as caught:
        decode_usage(body, Period.lookback(3), TODAY)
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_shape_errors_are_a_bad_response_error() -> None:
    assert issubclass(ResponseShapeError, BadResponseError)


def test_nulls_read_as_zero() -> None:
    data = decode_usage(
        _with(lambda p: p["byModel"][0].update(totalDiem=None, unitType=None)),
        Period.lookback(3),
        TODAY,
    )
    assert data.models[0].diem == 0 and data.models[0].unit_type == "units"


def test_duplicate_dates_are_summed() -> None:
    body = _with(lambda p: p["byDate"].append({"date": "2026-11-25", "USD": 1, "DIEM": 1}))
    data = decode_usage(body, Period.lookback(3), TODAY)
    assert data.daily[-1].usd == 1.75


def test_sums_carry_no_float_noise() -> None:
    rows = [{"date": f"2026-11-{d}", "USD": 0.1, "DIEM": 0.2} for d in (23, 24, 25)]
    data = decode_usage(
        encode({"byDate": rows, "byModel": [], "byKey": []}), Period.lookback(3), TODAY
    )
    assert data.totals.usd == 0.3 and data.totals.diem == 0.6


def test_big_account_decodes_every_model_key_and_day() -> None:
    from datetime import datetime

    from venice_tui.demo.generator import DemoAccount

    account = DemoAccount.big()
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    body = encode(account.analytics(Period.lookback(90).days(TODAY), now, "90d"))
    data = decode_usage(body, Period.lookback(90), TODAY)
    assert len(data.models) == 300 and len(data.keys) == 998 and len(data.daily) == 90
    assert len(data.model_series.names) == 51


def test_names_ids_and_series_are_made_visible_not_obeyed() -> None:
    payload = live_variant()
    payload["byModel"][0]["modelName"] = "\x1b]52;c;cHduZWQ=\x07clip [/beta"
    payload["byModel"][0]["unitType"] = "to\nkens"
    payload["byKey"][0]["description"] = "\x9b31mred\u202e"
    payload["byKey"][0]["apiKeyId"] = "id\x00x"
    payload["topModels"] = ["\x1b]0;title\x07"]
    payload["byModelDaily"] = [{"date": "2026-11-25", "\x1b]0;title\x07": 1}]
    data = decode_usage(encode(payload), Period.lookback(3), TODAY)
    model = next(m for m in data.models if "clip" in m.name)
    assert model.name == "\\x1b]52;c;cHduZWQ=\\x07clip [/beta"
    assert model.unit_type == "to\\x0akens"
    key = data.keys[0]
    assert key.description == "\\x9b31mred\\u202e" and key.key_id == "id\\x00x"
    assert data.model_series.names[0] == "\\x1b]0;title\\x07"
    for text in (
        model.name,
        model.unit_type,
        key.description,
        key.key_id or "",
        *data.model_series.names,
    ):
        assert all(ch.isprintable() for ch in text)


def test_sums_that_would_overflow_are_refused_not_infinite() -> None:
    payload = live_variant()
    payload["byDate"] = [
        {"date": "2026-11-24", "USD": 9e14, "DIEM": 0},
        {"date": "2026-11-25", "USD": 9e14, "DIEM": 0},
    ]
    data = decode_usage(encode(payload), Period.lookback(3), TODAY)
    assert data.totals.usd == 1.8e15  # large, but finite: valid JSON in `report --json`
