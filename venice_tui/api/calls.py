"""The calls venice-tui makes: which path, which query, what the reply is called in messages."""

from __future__ import annotations

from venice_tui.api.endpoint import USAGE_ANALYTICS_PATH
from venice_tui.api.exchange import Call
from venice_tui.api.period import Period


def usage_call(period: Period) -> Call:
    return Call(USAGE_ANALYTICS_PATH, period.query_params(), "usage data", period)
