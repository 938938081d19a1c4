"""Values from Venice's JSON made safe and typed: numbers, names, days and moments.

Every decoder uses these, so "a number" or "a name" means the same thing for every endpoint:
numbers may come as strings, must be finite and plausible; names are stripped, shortened and
made visible (`text.visible`); days and moments accept the styles Venice has been seen to send.
A value that is none of these raises `BadValue` naming where it was.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from venice_tui.api.errors import BadResponseError
from venice_tui.api.period import seconds_since_epoch
from venice_tui.api.text import one_line, visible

#: No real account spends (or uses units) beyond this in 90 days; larger values are refused so
#: that sums stay finite and `report --json` stays valid JSON.
MAX_PLAUSIBLE = 1e15
_NUMERIC = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?", re.ASCII)
_NAME_LIMIT = 200


class ResponseShapeError(BadResponseError):
    """The body parsed but is not the endpoint's shape (or a value in it is unusable)."""


class BadValue(Exception):
    """A value that is not what its field promises; the message names the field."""


def decode_wire(decoder: msgspec.json.Decoder[Any], body: bytes | str, what: str) -> Any:
    """Parse `body` into the wire structs; one typed error naming the problem otherwise."""
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise ResponseShapeError(f"Venice sent {what} of an unexpected shape: {exc}") from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise BadResponseError(_describe_unparsable(body, what)) from None


class _BadValue(Exception):
    pass


def _describe_unparsable(body: bytes | str, what: str) -> str:
    """Why a body is not JSON, in our words: the decoder's own wording changes between releases,
    so it is classified here from the bytes themselves."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return (
                f"Venice sent {what} that is not valid UTF-8 text (at byte {exc.start}); try again"
            )
    else:
        text = body
    head = text.lstrip()[:200].lower()
    if not head:
        return f"Venice sent an empty response instead of {what}; try again"
    if head.startswith("<") or "<html" in head:
        return f"Venice (or a proxy in between) sent an HTML page instead of {what}; try again"
    if _ends_inside_a_value(text):
        return "the response from Venice was cut off before it ended; try again"
    return f"Venice sent {what} that is not valid JSON; try again"


def _ends_inside_a_value(text: str) -> bool:
    """True when the text stops inside a string or with a bracket left open."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


def optional_number(value: Any, where: str) -> float | None:
    """Like `number`, but a missing value stays None (no limit, not staking) instead of 0."""
    return None if value is None else number(value, where)


def moment(value: Any, where: str) -> datetime | None:
    """A point in time (UTC) from an ISO datetime (`Z`, an offset or a space) or Unix s/ms;
    None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(seconds_since_epoch(float(value)), tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise BadValue(f"{where} is {value!r}, not a usable timestamp") from None
    if not isinstance(value, str):
        raise BadValue(f"{where} is a {type(value).__name__}, not a time")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: 9999-12-31T23:00-05:00 is year 10000
        raise BadValue(f"{where} is {quoted(value)}, not a time") from None


def parse_day_value(value: Any, where: str) -> date:
    """A day from `YYYY-MM-DD`, an ISO datetime, or a Unix timestamp in ms (or s)."""
    if isinstance(value, bool) or value is None:
        raise BadValue(f"{where} is {value!r}, not a date")
    if isinstance(value, int | float):
        return _day_from_timestamp(float(value), where)
    if isinstance(value, str):
        text = value.strip()
        if _NUMERIC.fullmatch(text):
            return _day_from_timestamp(float(text), where)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise BadValue(f"{where} is {quoted(value)}, not a date") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    raise BadValue(f"{where} is a {type(value).__name__}, not a date")


def _day_from_timestamp(stamp: float, where: str) -> date:
    seconds = seconds_since_epoch(stamp)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        raise BadValue(f"{where} is {stamp:g}, not a usable timestamp") from None


def number(value: Any, where: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        raise BadValue(f"{where} is {value!r}, not a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise BadValue(f"{where} is too large to be an amount") from None
    elif isinstance(value, str):
        if not _NUMERIC.fullmatch(value.strip()):
            raise BadValue(f"{where} is {quoted(value)}, not a number")
        number = float(value.strip())
    else:
        raise BadValue(f"{where} is a {type(value).__name__}, not a number")
    if not math.isfinite(number) or abs(number) > MAX_PLAUSIBLE:
        raise BadValue(f"{where} is {quoted(value)}, not a plausible amount")
    return number


def safe_name(value: object) -> str:
    """A name or id from Venice, safe to show: stripped, one line, control characters visible."""
    if not isinstance(value, str):
        return ""
    return visible(value.strip())[:_NAME_LIMIT]


def quoted(value: object) -> str:
    """A bad value quoted for an error message, shortened and made visible."""
    return one_line(repr(value), 40)


def unique(base: str, used: dict[str, int]) -> str:
    """`base`, or `base#2`, `base#3`… for the second and later rows of the same name."""
    count = used.get(base, 0) + 1
    used[base] = count
    return base if count == 1 else f"{base}#{count}"


def tidy(value: float) -> float:
    """Drop float noise from sums (0.1 + 0.2) without losing any cent the API reports."""
    return round(value, 9) + 0.0
