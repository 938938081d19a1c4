from datetime import date

import pytest

from venice_tui.api.period import Period, PeriodError

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("text", ["1d", "7d", "30d", "90d", "30D", "30", " 14d "])
def test_lookback_accepts_1_to_90_days(text: str) -> None:
    period = Period.parse_lookback(text)
    assert period.is_lookback
    assert 1 <= period.day_count <= 90


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("0d", "between 1d and 1096d"),
        ("1097d", "got 1097d"),
        ("-5d", "invalid lookback"),
        ("abc", "invalid lookback"),
        ("7w", "invalid lookback"),
        ("", "invalid lookback"),
        ("1.5d", "invalid lookback"),
    ],
)
def test_lookback_refusals_say_what_is_allowed(text: str, needle: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse_lookback(text)
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_default_is_seven_days() -> None:
    period = Period.from_options(None, None, None)
    assert period.lookback_days == 7
    assert period.query_params() == {"lookback": "7d"}


def test_lookback_days_end_today_inclusive() -> None:
    days = Period.lookback(30).days(TODAY)
    assert len(days) == 30
    assert days[-1] == TODAY
    assert days[0] == date(2026, 10, 27)


def test_range_query_and_label() -> None:
    period = Period.from_options(None, "2026-10-01", "2026-10-31")
    assert period.query_params() == {"startDate": "2026-10-01", "endDate": "2026-10-31"}
    assert period.label == "2026-10-01 → 2026-10-31"
    assert period.day_count == 31
    assert len(period.days(TODAY)) == 31


def test_range_of_exactly_90_days_is_allowed() -> None:
    assert Period.from_options(None, "2026-01-01", "2026-03-31").day_count == 90


@pytest.mark.parametrize(
    ("lookback", "start", "end", "needle"),
    [
        ("7d", "2026-10-01", "2026-10-02", "not both"),
        ("7d", "2026-10-01", None, "not both"),
        (None, "2026-10-01", None, "--end is missing"),
        (None, None, "2026-10-01", "--start is missing"),
        (None, "2026-10-05", "2026-10-01", "is after the end"),
        (None, "2023-01-01", "2026-01-01", "spans 1097 days; at most 1096 (three years)"),
        (None, "2026-02-30", "2026-03-01", "not a real calendar date"),
        (None, "2026-13-01", "2026-12-01", "not a real calendar date"),
        (None, "01/10/2026", "2026-10-02", "use YYYY-MM-DD"),
        (None, "2026-10-01T00:00:00Z", "2026-10-02", "use YYYY-MM-DD"),
        (None, "2026-10-01", "tomorrow", "--end 'tomorrow' is not a date"),
    ],
)
def test_every_range_refusal(
    lookback: str | None, start: str | None, end: str | None, needle: str
) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.from_options(lookback, start, end)
    assert needle in str(caught.value)


def test_direct_construction_validates_too() -> None:
    with pytest.raises(PeriodError):
        Period(lookback_days=3, start=TODAY, end=TODAY)
    with pytest.raises(PeriodError):
        Period(start=TODAY)


def test_a_period_longer_than_one_request_is_cut_at_month_ends() -> None:
    year = Period.from_options("365d", None, None)
    assert year.is_long and not Period.lookback(90).is_long
    chunks = year.chunks(TODAY)
    assert [c.label for c in chunks[:2]] == [
        "2025-11-26 → 2025-11-30",
        "2025-12-01 → 2025-12-31",
    ]
    assert chunks[-1].label == "2026-11-01 → 2026-11-25"
    assert sum(c.day_count for c in chunks) == 365 and len(chunks) == 13
    assert all(not c.is_long for c in chunks)
    leap = Period.from_options(None, "2024-02-10", "2024-06-05").chunks(TODAY)
    assert [c.day_count for c in leap] == [20, 31, 30, 31, 5]  # February 2024 has 29 days
    with pytest.raises(ValueError, match="fetch its chunks"):
        year.query_params()


def test_the_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    assert Period.lookback(30).previous(TODAY).label == "2026-09-27 → 2026-10-26"
    october = Period.from_options(None, "2026-10-01", "2026-10-31")
    assert october.previous(TODAY).label == "2026-08-31 → 2026-09-30"
