"""A value is checked whole: a pattern that ends in `$` lets a trailing line break through
(`abc\n`), so every validation matches the entire text."""

from __future__ import annotations

import json

import pytest

from venice_tui.api.errors import ConfigError
from venice_tui.api.ledger import decode_ledger_json
from venice_tui.api.values import ResponseShapeError
from venice_tui.core.config import is_valid_profile
from venice_tui.core.settings import validate_profile
from venice_tui.demo.responder import DemoResponder


@pytest.mark.parametrize("cursor", ["abc\n", "abc\r\n", "\nabc"])
def test_a_cursor_with_a_line_break_is_refused(cursor: str) -> None:
    body = json.dumps({"data": [], "nextCursor": cursor})
    with pytest.raises(ResponseShapeError, match="not a cursor Venice would send"):
        decode_ledger_json(body)
    assert decode_ledger_json(json.dumps({"data": [], "nextCursor": "abc"})).next_cursor == "abc"


@pytest.mark.parametrize("name", ["work\n", "work\r", "\nwork"])
def test_a_profile_with_a_line_break_is_refused(name: str) -> None:
    assert not is_valid_profile(name)
    with pytest.raises(ConfigError, match="is not a valid name"):
        validate_profile(name)
    assert validate_profile("work") == "work"


@pytest.mark.parametrize(
    "query",
    [
        {"lookback": "7d\n"},
        {"startDate": "2026-11-01\n", "endDate": "2026-11-02"},
    ],
)
def test_the_demo_refuses_a_line_break_as_the_live_service_does(query: dict[str, str]) -> None:
    reply = DemoResponder().handle(
        "GET", "/api/v1/billing/usage-analytics", query, {"authorization": "Bearer sk-admin"}
    )
    assert reply.status == 400


def test_the_demo_ledger_refuses_a_timestamp_with_a_line_break() -> None:
    reply = DemoResponder().handle(
        "GET",
        "/api/v1/billing/usage-history",
        {"startTimestamp": "2026-11-20T00:00:00.000Z\n"},
        {"authorization": "Bearer sk-admin"},
    )
    assert reply.status == 400
