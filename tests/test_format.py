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
