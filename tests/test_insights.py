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


def test_kpis_on_a_month_in_the_period() -> None:
    days = {f"2026-11-{d:02d}": (2.0, 1.0) for d in range(1, 26)}
    days["2026-11-20"] = (30.0, 1.0)
    days["2026-11-25"] = (1.0, 0.5)
    data = build(days, Period.lookback(30))
    month = tuple(r for r in data.daily if r.day.month == 11)  # type: ignore[attr-defined]
    insights = compute(data, NOW, month)  # type: ignore[arg-type]
    assert insights.today is not None and insights.today.usd == 1.0
    assert insights.busiest is not None and insights.busiest.day == date(2026, 11, 20)
    # 24 complete days in the period's axis (Oct 27 - Nov 24), 6 of them empty
    assert insights.daily_average is not None
    assert round(insights.daily_average.usd, 4) == round((23 * 2 + 30) / 29, 4)
    assert insights.complete_days == 29
    assert insights.projection is not None and insights.projection.rate_days == 7
    # actual month so far + last-7-complete-day USD rate x (5 days left + half of today)
    rate = (6 * 2 + 30) / 7
    assert round(insights.projection.usd, 4) == round(23 * 2 + 30 + 1 + rate * 5.5, 4)
    assert insights.projection.so_far.usd == 23 * 2 + 30 + 1
    assert [m.name for m in insights.top_models] == ["B", "A"]
    assert len(insights.spikes) == 1
    spike = insights.spikes[0]
    assert spike.day == date(2026, 11, 20) and spike.driver == "A" and spike.driver_extra == 30


def test_a_past_range_has_no_today_and_no_forecast() -> None:
    start = date(2026, 10, 1)
    days = {(start + timedelta(days=i)).isoformat(): (1.0, 0.0) for i in range(10)}
    data = build(days, Period.between(start, date(2026, 10, 10)))
    insights = compute(data, NOW)  # type: ignore[arg-type]
    assert insights.today is None
    assert insights.projection is None
    assert insights.spikes == ()


def test_a_one_day_period_forecasts_from_the_month_head() -> None:
    data = build({"2026-11-25": (3.0, 0.0)}, Period.lookback(1))
    head = build(
        {f"2026-11-{d:02d}": (2.0, 1.0) for d in range(1, 25)},
        Period.between(date(2026, 11, 1), date(2026, 11, 24)),
    )
    month = (*head.daily, *data.daily)  # type: ignore[attr-defined]
    insights = compute(data, NOW, month)  # type: ignore[arg-type]
    projection = insights.projection
    assert projection is not None and projection.rate_days == 7
    assert projection.so_far.usd == 24 * 2 + 3
    assert round(projection.usd, 6) == round(24 * 2 + 3 + 2.0 * 5.5, 6)


def test_empty_account() -> None:
    data = build({}, Period.lookback(7))
    insights = compute(data, NOW)  # type: ignore[arg-type]
    assert insights.busiest is None and insights.total.spend == 0
