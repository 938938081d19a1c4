import pytest

from venice_tui.core import format as fmt


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0.00"),
        (1234.5, "$1,234.50"),
        (0.004, "<$0.01"),
        (-2.5, "-$2.50"),
        (1_000_000, "$1,000,000.00"),
    ],
)
def test_usd(amount: float, text: str) -> None:
    assert fmt.usd(amount) == text


def test_diem() -> None:
    assert fmt.diem(12.5) == "12.50"
    assert fmt.diem(1234.567) == "1,234.57"


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (16_800_000, "tokens", "16.8M tokens"),
        (1204, "images", "1,204 images"),
        (1, "images", "1 image"),
        (9_999, "tokens", "9,999 tokens"),
        (12_345, "chars", "12.3K chars"),
        (2_500_000_000, "tokens", "2.5B tokens"),
        (12.5, "minutes", "12.5 minutes"),
        (320, "seconds", "320 seconds"),
        (150_000_000, "tokens", "150M tokens"),
    ],
)
def test_units(amount: float, unit: str, text: str) -> None:
    assert fmt.units(amount, unit) == text


def test_share_and_ids() -> None:
    assert fmt.share(1, 4) == "25.0%"
    assert fmt.share(1, 0) == "—"
    assert fmt.share(0.0001, 10) == "<0.1%"
    assert fmt.short_id("3f9c2a71-5e0b-4c1d-9a8e-1b2c3d4e5f60") == "…4e5f60"
    assert fmt.short_id(None) == "—"


def test_ages_and_countdowns_are_said_to_the_second_only_when_near() -> None:
    """Under 10 s to the second; then in 5 s steps (an idle dashboard wakes every few seconds to
    redraw them, not every second): an age rounds down, a countdown up."""
    from venice_tui.core.format import describe_age, describe_wait

    assert [describe_age(s) for s in (0, 9.4, 10, 14.9, 17, 59.9)] == [
        "0 s ago",
        "9 s ago",
        "10 s ago",
        "10 s ago",
        "15 s ago",
        "55 s ago",
    ]
    assert [describe_wait(s) for s in (60, 57, 55.0, 11, 10, 3.4)] == [
        "60 s",
        "60 s",
        "55 s",
        "15 s",
        "10 s",
        "3 s",
    ]


def test_the_clock_wakes_when_the_words_can_change() -> None:
    from venice_tui.core.format import next_change_in

    assert next_change_in(3.0, 57.0, 40.0) == pytest.approx(1.01)  # a young age: each second
    assert next_change_in(32.0, 28.0, 40.0) == pytest.approx(3.01)  # the countdown at 25 first
    assert next_change_in(33.5, 50.0, 40.0) == pytest.approx(1.51)  # the age at 35 first
    assert next_change_in(30.0, 5.0, 40.0) == pytest.approx(1.01)  # the last seconds: each one
    assert next_change_in(130.0, None, 12.0) == pytest.approx(12.01)  # paused: the minute
    assert next_change_in(None, None, 30.0) == pytest.approx(30.01)
