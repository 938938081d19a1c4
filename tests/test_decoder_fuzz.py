"""Property-based fuzz of the decoder: any mutation of a valid response yields either a valid
`UsageAnalytics` or the one typed decode error (`BadResponseError`), never anything else.

A quick profile runs in CI; `make fuzz` runs the long one (VENICE_TUI_FUZZ_EXAMPLES, ≥ 10,000).
"""

from __future__ import annotations

import copy
import itertools
import json
import os
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.payloads import PUBLISHED_EXAMPLE, live_variant
from venice_tui.api.decoder import decode_usage
from venice_tui.api.errors import BadResponseError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.demo.generator import DemoAccount

EXAMPLES = int(os.environ.get("VENICE_TUI_FUZZ_EXAMPLES", "300"))
TODAY = date(2026, 11, 25)
_DEMO = DemoAccount().analytics(
    Period.lookback(7).days(TODAY), datetime(2026, 11, 25, 12, tzinfo=UTC), "7d"
)
SEEDS = [PUBLISHED_EXAMPLE, live_variant(), _DEMO]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        ["", "1.5", "-0", "1e308", "2026-11-25", "2026-13-45", "1795564800000", "Ω≈ç√", "\u0000"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


def get_parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        targets = [p for p in paths(doc) if p]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent = get_parent(doc, path)
        key = path[-1]
        action = draw(st.sampled_from(["remove", "retype", "null", "duplicate", "huge", "unicode"]))
        if action == "remove":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(values)
        elif action == "null":
            parent[key] = None
        elif action == "duplicate":
            if isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
            else:
                parent[f"{key}"] = copy.deepcopy(parent[key])
                parent[f"{key} copy"] = copy.deepcopy(parent[key])
        elif action == "huge":
            parent[key] = draw(st.sampled_from([10**30, -(10**30), 1e300, "9" * 400, [0] * 2000]))
        else:
            parent[key] = draw(st.text(min_size=1, max_size=50))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]  # truncated body
    return text.encode()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=mutated(), days=st.integers(min_value=1, max_value=90))
def test_decoder_returns_analytics_or_the_one_typed_error(body: bytes, days: int) -> None:
    try:
        result = decode_usage(body, Period.lookback(days), TODAY)
    except BadResponseError as exc:
        assert str(exc) and "\n" not in str(exc)
        event("typed decode error")
        return
    event("valid UsageAnalytics")
    assert isinstance(result, UsageAnalytics)
    days_seen = [row.day for row in result.daily]
    assert days_seen == sorted(days_seen) and len(set(days_seen)) == len(days_seen)
    for a, b in itertools.pairwise(days_seen):
        assert (b - a).days == 1
    for series in (result.model_series, result.key_series):
        for values_ in series.combined.values():
            assert len(values_) == len(series.days)
