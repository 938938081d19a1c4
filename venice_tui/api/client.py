"""`VeniceClient`: the async HTTP client the dashboard uses; `VeniceSyncClient` in `sync_client`
makes the same calls for one-shot commands. Requests, replies, errors and retries are
`exchange`'s; this module only does the async I/O."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
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
    USER_AGENT,
    Attempts,
    BodyReader,
    Reply,
    check_reply,
    client_options,
    failure_from,
)
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_today
from venice_tui.api.retry import DEFAULT_POLICY, FailureBudget, RetryPolicy
from venice_tui.api.secret import ApiKey

if TYPE_CHECKING:
    from venice_tui.api.ledger import LedgerPage

Sleep = Callable[[float], Awaitable[None]]


def _sniffio_absent_once() -> None:
    """httpcore runs `import sniffio` on every request; where it is not installed, each failed
    import walks `sys.path` again. Its absence, recorded once, makes that import fail at once."""
    import importlib.util

    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_sniffio_absent_once()


class VeniceClient:
    """Venice's billing endpoints, with few spaced retries and one typed error per failure."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        retry: RetryPolicy | None = None,
        budget: FailureBudget | None = None,
        sleep: Sleep = asyncio.sleep,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self.base_url = validate_base_url(base_url)
        self._deadline = deadline
        self._retry = retry or DEFAULT_POLICY
        #: One budget for every request of this client: Venice counts failures per caller.
        self._budget = budget or FailureBudget()
        self._sleep = sleep
        self._today = today
        self._http = httpx.AsyncClient(
            transport=transport, **client_options(api_key, self.base_url, timeout)
        )

    async def __aenter__(self) -> VeniceClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def fetch(self, period: Period) -> UsageAnalytics:
        analytics, _ = await self.fetch_with_body(period)
        return analytics

    async def fetch_with_body(
        self, period: Period, retry: bool = True
    ) -> tuple[UsageAnalytics, bytes]:
        """The decoded usage and the body it came from (for the on-disk cache)."""
        reply = await self.get(usage_call(period, retry))
        return await self.decode_usage(period, reply.body), reply.body

    async def decode_usage(self, period: Period, body: bytes) -> UsageAnalytics:
        """A usage body of `period`, decoded (as of the client's today)."""
        # A 90-day body of a big account takes tens of milliseconds to decode: off the loop.
        return await asyncio.to_thread(decode_usage, body, period, self._today())

    async def balance(self) -> Balance:
        return decode_balance((await self.get(BALANCE_CALL)).body)

    async def api_keys(self) -> tuple[ApiKeyInfo, ...]:
        return await asyncio.to_thread(decode_api_keys, (await self.get(API_KEYS_CALL)).body)

    async def rate_limits(self) -> RateLimits:
        return decode_rate_limits((await self.get(RATE_LIMITS_CALL)).body)

    async def ledger(self, call: Call) -> LedgerPage:
        """One page of the usage ledger (`api.ledger.history_call` makes the call)."""
        from venice_tui.api.ledger import ledger_page  # the ledger decoder: only a sync needs it

        reply = await self.get(call)
        # A thousand rows take tens of milliseconds to check: not on the event loop.
        return await asyncio.to_thread(
            ledger_page, call, reply.body, reply.headers.get("x-next-cursor")
        )

    async def get(self, call: Call) -> Reply:
        attempts = Attempts(self._retry, self._budget, call.retry)
        while True:
            attempts.check_budget()
            try:
                return await self._get_once(call)
            except Exception as failure:
                await self._sleep(attempts.wait_after(failure))

    async def _get_once(self, call: Call) -> Reply:
        reader = BodyReader(self._deadline, call)
        try:
            async with asyncio.timeout(self._deadline):
                async with self._http.stream(
                    "GET",
                    self.base_url + call.path,
                    params=dict(call.params),
                    headers={"Accept": call.accept},
                ) as response:
                    async for chunk in response.aiter_bytes():
                        reader.add(chunk)
        except TimeoutError:
            raise reader.too_slow() from None
        except httpx.HTTPError as exc:
            raise failure_from(exc, self.base_url, call) from None
        return check_reply(call, response.status_code, response.headers, reader.body)


__all__ = ["USER_AGENT", "VeniceClient"]
