"""Amounts that carry their currency: `Usd`, `Diem`, and `UsdDiem`, the sum of the two.

Adding a `Usd` to a `Diem` is a type error (mypy) and a `TypeError` at run time; the one
function that adds them, `usd_plus_diem`, says so in its name and its result is labelled
`USD+DIEM` wherever it is shown. Derived figures (rate, forecast, runway, spikes) are built
from these; `format.money` is the one way they become text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self


class _Amount:
    __slots__ = ()
    amount: float

    if TYPE_CHECKING:

        def __init__(self, amount: float) -> None: ...

    def __add__(self, other: Self) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(self.amount + other.amount)

    def __sub__(self, other: Self) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(self.amount - other.amount)

    def __mul__(self, factor: float) -> Self:
        return type(self)(self.amount * factor)

    def __truediv__(self, divisor: float) -> Self:
        return type(self)(self.amount / divisor)

    def __lt__(self, other: Self) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.amount < other.amount

    def __le__(self, other: Self) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.amount <= other.amount


@dataclass(frozen=True, slots=True)
class Usd(_Amount):
    """US dollars (and bundled credits, which spend as dollars)."""

    amount: float

    @staticmethod
    def total(items: Iterable[float]) -> Usd:
        return Usd(math.fsum(items))


@dataclass(frozen=True, slots=True)
class Diem(_Amount):
    """DIEM: granted per UTC day to accounts that stake, spent before any dollar."""

    amount: float

    @staticmethod
    def total(items: Iterable[float]) -> Diem:
        return Diem(math.fsum(items))


@dataclass(frozen=True, slots=True)
class UsdDiem(_Amount):
    """USD and DIEM added together: only `usd_plus_diem` makes one, and it reads `USD+DIEM`."""

    amount: float


def usd_plus_diem(usd: Usd, diem: Diem) -> UsdDiem:
    """The one place where dollars and DIEM are added (a day's spend, a spike)."""
    return UsdDiem(usd.amount + diem.amount)
