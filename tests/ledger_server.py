"""A ledger endpoint that misbehaves on purpose, behind `httpx.MockTransport`, and an account
whose `sync` talks to it: what the walk tests attack with."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.account_double import AccountDouble
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive

BASE = "https://api.venice.ai/api/v1"
#: A walk that needs more requests than this is going round in circles: the test fails.
MOST_REQUESTS = 40


def row(
    timestamp: str, sku: str = "llama-3.3-70b-llm-output-mtoken", n: int = 0
) -> dict[str, object]:
    return {
        "amount": -0.01 - n / 1e6,
        "currency": "USD",
        "inferenceDetails": {"requestId": f"req-{timestamp}-{n}", "promptTokens": 10},
        "notes": "API Inference",
        "pricePerUnitUsd": 0.7,
        "sku": sku,
        "timestamp": timestamp,
        "units": 0.0001,
    }


def body(rows: list[dict[str, object]], cursor: str | None) -> httpx.Response:
    return httpx.Response(200, content=json.dumps({"data": rows, "nextCursor": cursor}).encode())


@dataclass
class LedgerServer:
    """Answers each ledger request with `answer(request, n)` (n counts from 0)."""

    answer: Callable[[httpx.Request, int], httpx.Response]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert len(self.requests) <= MOST_REQUESTS, "the walk never ended"
        return self.answer(request, len(self.requests) - 1)


@dataclass
class MockAccount(AccountDouble):
    """Enough of an Account for `run_sync`: a client on the mock, an archive on disk."""

    server: LedgerServer
    path: Path

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey("sk-admin-walk-test"),
            BASE,
            transport=httpx.MockTransport(self.server),
            sleep=lambda _: None,
        )

    def archive(self) -> Archive:
        return Archive(self.path)
