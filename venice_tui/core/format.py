"""How amounts, units and shares read to a person: `$1,234.56`, `12.50 DIEM`, `16.8M tokens`."""

from __future__ import annotations

import math

from venice_tui.core import numbers
from venice_tui.core.amounts import Diem, Usd, UsdDiem
from venice_tui.core.glyphs import GLYPHS

# The one rounding rule (`numbers`), re-exported: `fmt.usd`, `fmt.diem`, `fmt.change`.
from venice_tui.core.numbers import change as change
from venice_tui.core.numbers import diem as diem
from venice_tui.core.numbers import usd as usd

_COMPACT_UNITS = ("tokens", "chars", "characters")
_SINGULAR = {
    "tokens": "token",
    "images": "image",
    "chars": "char",
    "minutes": "minute",
    "seconds": "second",
}


def compact(number: float) -> str:
    """`950`, `12.3K`, `16.8M`, `1.2B`: three significant figures at most past a thousand."""
    value = abs(number)
    sign = "-" if number < 0 else ""
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= limit:
            scaled = value / limit
            text = f"{scaled:.1f}" if scaled < 100 else f"{scaled:.0f}"
            return f"{sign}{text.removesuffix('.0')}{suffix}"
    return f"{sign}{value:,.0f}" if value == int(value) else f"{sign}{value:,.1f}"


def units(amount: float, unit_type: str) -> str:
    """`16.8M tokens`, `1,204 images`, `12.5 minutes`, `1 image`."""
    unit = unit_type.strip() or "units"
    if amount == 1:
        unit = _SINGULAR.get(unit, unit)
    if unit_type in _COMPACT_UNITS and abs(amount) >= 10_000:
        return f"{compact(amount)} {unit}"
    if amount == int(amount):
        return f"{amount:,.0f} {unit}"
    return f"{amount:,.1f} {unit}"


def share(part: float, whole: float) -> str:
    if whole <= 0:
        return GLYPHS.dash
    ratio = part / whole * 100
    if 0 < ratio < 0.1:
        return "<0.1%"
    return f"{ratio:.1f}%"


def percent(part: float, whole: float) -> str:
    """A whole percentage, toward zero (`numbers.percent`): 99.7% of a limit reads `99%`,
    never a `100%` not reached; `—` of nothing."""
    if whole <= 0:
        return GLYPHS.dash
    return numbers.percent(part, whole)


def money(amount: Usd | Diem | UsdDiem) -> str:
    """An amount with its currency: `$12.16`, `11.95 DIEM`, `44.47 USD+DIEM`."""
    if isinstance(amount, Usd):
        return usd(amount.amount)
    if isinstance(amount, Diem):
        return f"{diem(amount.amount)} DIEM"
    return f"{diem(amount.amount)} USD+DIEM"


def short_id(key_id: str | None) -> str:
    """`…a3c5e7` for an API key id; the Web App row has none."""
    if not key_id:
        return GLYPHS.dash
    return f"{GLYPHS.ellipsis}{key_id[-6:]}" if len(key_id) > 8 else key_id


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the last of them an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    ellipsis = GLYPHS.ellipsis
    return text[: max(0, limit - len(ellipsis))] + ellipsis


#: Below this many seconds an age or a countdown is said to the second; above, in steps of
#: `SECONDS_STEP` (an idle dashboard then wakes to redraw it every few seconds, not every one).
EXACT_SECONDS = 10
SECONDS_STEP = 5


def describe_age(seconds: float) -> str:
    if seconds < EXACT_SECONDS:
        return f"{seconds:.0f} s ago"
    if seconds < 60:
        return f"{int(seconds // SECONDS_STEP * SECONDS_STEP)} s ago"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    if seconds < 86400 * 2:
        return f"{seconds // 3600:.0f} h {seconds % 3600 // 60:.0f} min ago"
    return f"{seconds // 86400:.0f} days ago"


def describe_wait(seconds: float) -> str:
    if seconds <= EXACT_SECONDS:
        return f"{max(0, round(seconds))} s"
    if seconds < 90:
        return f"{math.ceil(seconds / SECONDS_STEP) * SECONDS_STEP} s"
    return f"{seconds / 60:.0f} min"


#: The sum of USD and DIEM (1 DIEM buys $1 of inference): never shown with `$` alone.
USD_AND_DIEM = "USD+DIEM"
#: Currencies worth dollars that are not USD itself, as the ledger names them.
_CREDITS = {"BUNDLED_CREDITS": "credits", "EARNED_CREDITS": "earned credits"}


def money_in(amount: float, currency: str) -> str:
    """An amount in a currency named by the ledger, said: `$1.20`, `0.19 DIEM`, `1.39 USD+DIEM`, `$0.05 credits`.
    A currency this tool does not know is named as sent, never given a `$`."""
    if currency == "USD":
        return usd(amount)
    if currency in _CREDITS:
        return f"{usd(amount)} {_CREDITS[currency]}"
    return f"{diem(amount)} {currency}"


def unit_price(price: float, currency: str) -> str:
    """A price per unit in its currency, to four significant figures: `$0.0344/unit`,
    `0.0344 DIEM/unit`."""
    if currency == "USD" or currency in _CREDITS:
        return f"${price:,.4g}/unit"
    return f"{price:,.4g} {currency}/unit"


def next_change_in(age: float | None, countdown: float | None, to_next_minute: float) -> float:
    """Seconds until the status line's words can change: its data's age (`describe_age`), the
    countdown to the next refresh (`describe_wait`), or the clock's minute (the DIEM reset)."""
    waits = [to_next_minute]
    if age is not None:
        if age < EXACT_SECONDS:
            waits.append(1.0)
        elif age < 60:
            waits.append(SECONDS_STEP - age % SECONDS_STEP)
        else:
            waits.append(60 - age % 60)
    if countdown is not None:
        if countdown <= EXACT_SECONDS + SECONDS_STEP or countdown >= 90:
            waits.append(1.0)
        else:
            waits.append(countdown % SECONDS_STEP or SECONDS_STEP)
    return max(0.05, min(waits) + 0.01)  # just past the change, not just before it
