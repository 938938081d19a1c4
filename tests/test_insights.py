from datetime import UTC, date, datetime, timedelta

from tests.payloads import encode
from venice_tui.api.decoder import decode_usage
from venice_tui.api.period import Period
from venice_tui.core.insights import compute

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def build(days: dict[str, tuple[float, float]], period: Period) -> object:
    rows = [{"date": d, "USD": u, "DIEM": m} for d, (u, m) in days.items()]
    payload = {
        "byDate": rows,
        "byModel": [
            {
                "modelName": "A",
                "unitType": "tokens",
                "modelType": "LLM",
                "totalUsd": 5,
                "totalDiem": 0,
                "totalUnits": 1,
            },
            {
                "modelName": "B",
                "unitType": "images",
                "modelType": "IMAGE",
                "totalUsd": 9,
                "totalDiem": 1,
                "totalUnits": 2,
            },
        ],
        "byKey": [],
        "byModelDaily": [{"date": "2026-11-20", "A": 30, "B": 1}],
        "topModels": ["A", "B"],
    }
    return decode_usage(encode(payload), period, NOW.date())


def test_the_period_drawn_its_totals_busiest_day_and_top_rows() -> None:
    days = {f"2026-11-{d:02d}": (2.0, 1.0) for d in range(1, 26)}
    days["2026-11-20"] = (30.0, 1.0)
    insights = compute(build(days, Period.lookback(30)))  # type: ignore[arg-type]
    assert insights.busiest is not None and insights.busiest.day == date(2026, 11, 20)
    assert insights.total.usd == 24 * 2 + 30
    assert [m.name for m in insights.top_models] == ["B", "A"]


def test_a_past_range_has_totals_too() -> None:
    start = date(2026, 10, 1)
    days = {(start + timedelta(days=i)).isoformat(): (1.0, 0.0) for i in range(10)}
    insights = compute(build(days, Period.between(start, date(2026, 10, 10))))  # type: ignore[arg-type]
    assert insights.total.usd == 10.0 and insights.busiest is not None


def test_empty_account() -> None:
    insights = compute(build({}, Period.lookback(7)))  # type: ignore[arg-type]
    assert insights.busiest is None and insights.total.spend == 0
