"""The calls venice-tui makes: which path, which query, what the reply is called in messages.

Plain data, no HTTP library: the on-disk cache and the commands name calls without paying
for httpx's import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from venice_tui.api.endpoint import (
    API_KEYS_PATH,
    BALANCE_PATH,
    RATE_LIMITS_PATH,
    USAGE_ANALYTICS_PATH,
)
from venice_tui.api.period import Period


@dataclass(frozen=True, slots=True)
class Call:
    """What one request asks for: the path under the base URL, its query, what it returns
    (for messages), and the period it covers (a 504's advice depends on it)."""

    path: str
    params: Mapping[str, str] = field(default_factory=dict)
    what: str = "data"
    period: Period | None = None
    accept: str = "application/json"
    #: Retried after a server error, a refused connection or a 429. The calls beside the
    #: usage are not: they come again next cycle, and retries of four calls would spend
    #: the whole failure budget in one bad minute.
    retry: bool = True
    #: What to do when the answer is too large or too slow to arrive (after a `;`).
    remedy: str = "try again later"


BALANCE_CALL = Call(BALANCE_PATH, what="the balance", retry=False)
API_KEYS_CALL = Call(API_KEYS_PATH, what="the list of API keys", retry=False)
RATE_LIMITS_CALL = Call(RATE_LIMITS_PATH, what="the key's limits", retry=False)


def usage_call(period: Period, retry: bool = True) -> Call:
    return Call(
        USAGE_ANALYTICS_PATH,
        period.query_params(),
        "usage data",
        period,
        retry=retry,
        remedy="try again or shorten the period",
    )
