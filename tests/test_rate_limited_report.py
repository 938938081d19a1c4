"""`report` against a server that answers every other request 429 (`Retry-After: 2`): each of
its four requests waits as Venice asks, within the failure budget they share, and the report
comes out whole, every time. The waits are recorded, never slept."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

import httpx
import pytest

from tests.account_double import AccountDouble
from venice_tui.api.errors import RateLimitedError, TooManyFailuresError
from venice_tui.api.period import Period
from venice_tui.api.retry import FailureBudget
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.commands.report import run_report
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_BASE_URL, DemoSyncTransport

SECRET = "sk-admin-rate-0123456789SECRET"


class EveryOtherLimited(httpx.BaseTransport):
    """The demo account, but every other request (the first one too) is a 429."""

    def __init__(self, first_limited: bool = True) -> None:
        self.demo = DemoSyncTransport(DemoResponder())
        self.lock = threading.Lock()
        self.count = 0 if first_limited else 1
        self.limited = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.count += 1
            limited = self.count % 2 == 1
            self.limited += limited
        if limited:
            body = json.dumps({"error": "Rate limit exceeded"}).encode()
            return httpx.Response(429, content=body, headers={"Retry-After": "2"})
        return self.demo.handle_request(request)


@dataclass
class LimitedAccount(AccountDouble):
    transport: httpx.BaseTransport
    waits: list[float] = field(default_factory=list)
    budget: FailureBudget = field(default_factory=FailureBudget)
    memory: Archive = field(default_factory=Archive.in_memory)

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey(SECRET),
            DEMO_BASE_URL,
            transport=self.transport,
            sleep=self.waits.append,
            budget=self.budget,
        )

    def archive(self) -> Archive:
        return self.memory


@pytest.mark.parametrize("first_limited", [True, False])
def test_a_report_waits_out_every_other_request_limited_and_comes_out_whole(
    capsys: pytest.CaptureFixture[str], first_limited: bool
) -> None:
    for _ in range(12):  # thread orders differ from run to run: the outcome may not
        transport = EveryOtherLimited(first_limited)
        account = LimitedAccount(transport)
        assert run_report(account, Period.lookback(7), "json") == 0, capsys.readouterr().err
        out, err = capsys.readouterr()
        answer = json.loads(out)
        assert answer["balance"] is not None and answer["apiKeys"] is not None
        assert answer["unavailable"] in (None, {}, []), answer["unavailable"]
        assert err == "" and SECRET not in out
        assert account.waits == [2.0] * transport.limited


def test_limits_that_never_lift_end_in_one_line_within_the_shared_budget() -> None:
    class AlwaysLimited(httpx.BaseTransport):
        def __init__(self) -> None:
            self.requests = 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            self.requests += 1
            return httpx.Response(429, headers={"Retry-After": "2"})

    transport = AlwaysLimited()
    waits: list[float] = []
    budget = FailureBudget(clock=lambda: 0.0)
    with (
        VeniceSyncClient(
            ApiKey(SECRET), DEMO_BASE_URL, transport=transport, sleep=waits.append, budget=budget
        ) as client,
        pytest.raises(RateLimitedError, match="rate limited by Venice"),
    ):
        client.fetch(Period.lookback(7))
    assert transport.requests == 5 and waits == [2.0] * 4
    for _ in range(2):
        with (
            VeniceSyncClient(
                ApiKey(SECRET),
                DEMO_BASE_URL,
                transport=transport,
                sleep=waits.append,
                budget=budget,
            ) as client,
            pytest.raises((RateLimitedError, TooManyFailuresError)),
        ):
            client.fetch(Period.lookback(7))
    assert transport.requests == 15
    with (
        VeniceSyncClient(
            ApiKey(SECRET), DEMO_BASE_URL, transport=transport, sleep=waits.append, budget=budget
        ) as client,
        pytest.raises(TooManyFailuresError, match="too many failed requests"),
    ):
        client.fetch(Period.lookback(7))
    assert transport.requests == 15  # the shared budget's limit: not one failure more
