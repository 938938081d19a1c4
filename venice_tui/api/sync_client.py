"""`VeniceSyncClient`: the same calls as `VeniceClient`, blocking, for one-shot commands.

`report`, `balance`, `check` and friends make one or two requests and exit: a plain
`httpx.Client` spares them importing asyncio. Requests, replies, errors and retries are
`exchange`'s, shared with the async client.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import httpx

from venice_tui.api.account import (
    ApiKeyInfo,
    Balance,
    RateLimits,
    decode_api_keys,
    decode_balance,
    decode_rate_limits,
)
from venice_tui.api.calls import API_KEYS_CALL, BALANCE_CALL, RATE_LIMITS_CALL, Call, usage_call
from venice_tui.api.decoder import decode_usage
from venice_tui.api.endpoint import DEFAULT_BASE_URL, validate_base_url
from venice_tui.api.exchange import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    Attempts,
    BodyReader,
    Reply,
    check_reply,
    client_options,
    failure_from,
    read_all,
)
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_today
from venice_tui.api.retry import DEFAULT_POLICY, FailureBudget, RetryPolicy
from venice_tui.api.secret import ApiKey

if TYPE_CHECKING:
    from venice_tui.api.ledger import LedgerPage


class VeniceSyncClient:
    def __init__(
        self,
        api_key: ApiKey,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        retry: RetryPolicy | None = None,
        budget: FailureBudget | None = None,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self.base_url = validate_base_url(base_url)
        self._deadline = deadline
        self._retry = retry or DEFAULT_POLICY
        self._budget = budget or FailureBudget()
        self._sleep = sleep
        self._today = today
        self._http = httpx.Client(
            transport=transport, **client_options(api_key, self.base_url, timeout)
        )

    def __enter__(self) -> VeniceSyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def fetch(self, period: Period) -> UsageAnalytics:
        analytics, _ = self.fetch_with_body(period)
        return analytics

    def fetch_with_body(self, period: Period, retry: bool = True) -> tuple[UsageAnalytics, bytes]:
        reply = self.get(usage_call(period, retry))
        return decode_usage(reply.body, period, self._today()), reply.body

    def balance(self) -> Balance:
        return decode_balance((self.get(BALANCE_CALL)).body)

    def api_keys(self) -> tuple[ApiKeyInfo, ...]:
        return decode_api_keys((self.get(API_KEYS_CALL)).body)

    def rate_limits(self) -> RateLimits:
        return decode_rate_limits((self.get(RATE_LIMITS_CALL)).body)

    def ledger(self, call: Call) -> LedgerPage:
        """One page of the usage ledger (`api.ledger.history_call` makes the call)."""
        reply = self.get(call)
        from venice_tui.api.ledger import ledger_page  # the ledger decoder: only a sync needs it

        return ledger_page(call, reply.body, reply.headers.get("x-next-cursor"))

    def get(self, call: Call) -> Reply:
        # A command has no next cycle: a 429 is waited out on every call (within the budget).
        attempts = Attempts(self._retry, self._budget, call.retry, rate_limits=True)
        while True:
            attempts.check_budget()
            try:
                return self._get_once(call)
            except Exception as failure:
                self._sleep(attempts.wait_after(failure))

    def _get_once(self, call: Call) -> Reply:
        reader = BodyReader(self._deadline, call)
        try:
            with self._http.stream(
                "GET",
                self.base_url + call.path,
                params=dict(call.params),
                headers={"Accept": call.accept},
            ) as response:
                body = read_all(response.iter_bytes(), reader)
        except httpx.HTTPError as exc:
            raise failure_from(exc, self.base_url, call) from None
        return check_reply(call, response.status_code, response.headers, body)
