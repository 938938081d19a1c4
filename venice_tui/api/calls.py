"""The calls venice-tui makes: which path, which query, what the reply is called in messages."""

from __future__ import annotations

from venice_tui.api.endpoint import (
    API_KEYS_PATH,
    BALANCE_PATH,
    RATE_LIMITS_PATH,
    USAGE_ANALYTICS_PATH,
)
from venice_tui.api.exchange import Call
from venice_tui.api.period import Period

BALANCE_CALL = Call(BALANCE_PATH, {}, "the balance")
API_KEYS_CALL = Call(API_KEYS_PATH, {}, "the list of API keys")
RATE_LIMITS_CALL = Call(RATE_LIMITS_PATH, {}, "the key's limits")


def usage_call(period: Period) -> Call:
    return Call(USAGE_ANALYTICS_PATH, period.query_params(), "usage data", period)
