"""The one rounding rule for money and percentages, with no imports at all (a status bar pays
for every module): `format` re-exports these, and everything that shows a number uses them.

- Money: two decimals, thousands separated; an amount that would round to zero but is not
  zero reads `<$0.01`, never `$0.00`.
- Percentages are computed from the unrounded amounts and rounded toward zero to a whole
  percent: 99.7% of a budget reads `99%`, never a `100%` not reached; a change is signed, and
  one smaller than a whole percent reads `±0%` (never `-0%`).
"""

from __future__ import annotations


def usd(amount: float) -> str:
    """`$1,234.56`, `-$3.10`, `<$0.01`."""
    if 0 < abs(amount) < 0.005:
        return "<$0.01" if amount > 0 else "-<$0.01"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def diem(amount: float) -> str:
    """`1,234.56`, `<0.01` (the unit is said beside it: `DIEM`, or `USD+DIEM` for a sum)."""
    if 0 < abs(amount) < 0.005:
        return "<0.01" if amount > 0 else "-<0.01"
    return f"{amount:,.2f}"


def whole_percent(part: float, whole: float) -> int:
    """`part` of `whole` in whole percent, toward zero (`whole` must be above zero)."""
    return int(part / whole * 100 + (1e-9 if part >= 0 else -1e-9))


def percent(part: float, whole: float) -> str:
    """`66%`; `whole` must be above zero (`format.percent` says `—` otherwise)."""
    return f"{whole_percent(part, whole)}%"


def change(now: float, before: float) -> str:
    """`+18%`, `-99%`, `±0%`: `now` against `before` (above zero), by the same rule."""
    points = whole_percent(now - before, before)
    return "±0%" if points == 0 else f"{points:+d}%"
