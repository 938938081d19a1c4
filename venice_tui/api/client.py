"""`UsageClient`: the async HTTP client for `GET /billing/usage-analytics`."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable, Generator
from datetime import date
from typing import Any

import httpx

from venice_tui import __version__
from venice_tui.api.decoder import decode_usage
from venice_tui.api.endpoint import (
    DEFAULT_BASE_URL,
    MAX_BODY_BYTES,
    USAGE_ANALYTICS_PATH,
    validate_base_url,
)
from venice_tui.api.errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    GatewayTimeoutError,
    HttpStatusError,
    NetworkError,
    PaymentRequiredError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TooManyFailuresError,
    UnexpectedStatusError,
    VeniceError,
)
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_today
from venice_tui.api.retry import DEFAULT_POLICY, FailureBudget, RetryPolicy, retry_after_seconds
from venice_tui.api.secret import ApiKey

USER_AGENT = f"venice-tui/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=45.0, write=10.0, pool=5.0)
#: A body that trickles in forever is cut off after this long, whatever the read timeout.
DEFAULT_DEADLINE = 90.0
_RETRYABLE_SERVER_STATUSES = (500, 502, 503)

Sleep = Callable[[float], Awaitable[None]]


class _BearerAuth(httpx.Auth):
    """Adds the key at send time, so no plain header dict holding it sits in any frame's locals
    (Textual's crash report prints locals; httpx masks Authorization in its own reprs)."""

    def __init__(self, api_key: ApiKey) -> None:
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer " + self._api_key.reveal()
        yield request

    def __repr__(self) -> str:
        return f"_BearerAuth({self._api_key!r})"


class UsageClient:
    """Fetches one period's usage, with few spaced retries and one typed error per failure."""

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
        self._budget = budget or FailureBudget()
        self._sleep = sleep
        self._today = today
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            # Plain http:// is allowed only to loopback; there is no TLS to verify, so skip
            # loading the CA bundle (tens of milliseconds on every start).
            verify=not self.base_url.startswith("http://"),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            auth=_BearerAuth(api_key),
            follow_redirects=False,
        )

    async def __aenter__(self) -> UsageClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def fetch(self, period: Period) -> UsageAnalytics:
        analytics, _ = await self.fetch_with_body(period)
        return analytics

    async def fetch_with_body(self, period: Period) -> tuple[UsageAnalytics, bytes]:
        """The decoded usage and the body it came from (for the on-disk cache)."""
        body = await self._get_with_retries(period)
        return decode_usage(body, period, self._today()), body

    async def _get_with_retries(self, period: Period) -> bytes:
        server_retries = connect_retries = rate_retries = 0
        while True:
            wait = self._budget.wait_needed()
            if wait > 0:
                raise TooManyFailuresError(wait)
            try:
                return await self._get_once(period)
            except _ServerStatus as exc:
                self._budget.record_failure()
                if server_retries >= self._retry.server_error_retries:
                    raise ServerError(exc.status, exc.message) from None
                await self._sleep(self._retry.backoff(server_retries))
                server_retries += 1
            except RateLimitedError as exc:
                self._budget.record_failure()
                if rate_retries >= self._retry.rate_limit_retries:
                    raise
                await self._sleep(self._retry.clamp_rate_limit_wait(exc.retry_after))
                rate_retries += 1
            except _RetryableNetworkError as exc:
                self._budget.record_failure()
                if connect_retries >= self._retry.connect_retries:
                    raise exc.error from None
                await self._sleep(self._retry.backoff(connect_retries))
                connect_retries += 1
            except VeniceError:
                self._budget.record_failure()
                raise

    async def _get_once(self, period: Period) -> bytes:
        url = self.base_url + USAGE_ANALYTICS_PATH
        try:
            async with asyncio.timeout(self._deadline):
                async with self._http.stream("GET", url, params=period.query_params()) as response:
                    body = await _read_capped(response)
        except TimeoutError:
            raise RequestTimeoutError(
                f"Venice did not finish answering within {self._deadline:.0f} s; "
                "try again or shorten the period"
            ) from None
        except httpx.TimeoutException as exc:
            raise _timeout_error(exc) from None
        except httpx.ConnectError as exc:
            error = _connect_error(exc, self.base_url)
            if _is_dns_failure(exc):
                raise error from None
            raise _RetryableNetworkError(error) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _RetryableNetworkError(
                NetworkError(
                    "the connection to Venice broke before the response was complete "
                    f"({_reason(exc)}); try again"
                )
            ) from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"request to Venice failed: {_reason(exc)}") from None
        return _check_status(response, body, period)


class _ServerStatus(Exception):
    """A 5xx worth retrying; becomes `ServerError` when retries run out."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


class _RetryableNetworkError(Exception):
    def __init__(self, error: NetworkError) -> None:
        self.error = error


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadResponseError(
                f"Venice's response is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB; "
                "shorten the period"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _check_status(response: httpx.Response, body: bytes, period: Period) -> bytes:
    status = response.status_code
    if status == 200:
        return body
    payload = _error_payload(body)
    message = _error_message(payload, body)
    if status == 400:
        raise BadRequestError(message, _flatten_details(payload.get("details")))
    if status == 401:
        raise AuthError(message)
    if status == 402:
        raise PaymentRequiredError(message)
    if status == 429:
        raise RateLimitedError(retry_after_seconds(response.headers))
    if status in _RETRYABLE_SERVER_STATUSES:
        raise _ServerStatus(status, message)
    if status == 504:
        raise GatewayTimeoutError(period)
    raise UnexpectedStatusError(status, message)


def _error_payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _error_message(payload: dict[str, Any], body: bytes) -> str:
    error = payload.get("error")
    if isinstance(error, str) and error.strip():
        return _shorten(error.strip())
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return _shorten(error["message"].strip())
    head = body[:200].lstrip().lower()
    if head.startswith(b"<"):
        return "an HTML error page instead of JSON"
    return ""


def _flatten_details(details: Any, path: str = "") -> list[str]:
    """Zod-style `{"_errors": [...], "field": {"_errors": [...]}}` as `field: message` lines."""
    if not isinstance(details, dict):
        return []
    out = []
    for message in details.get("_errors") or []:
        if isinstance(message, str):
            out.append(f"{path}: {message}" if path else message)
    for name, child in details.items():
        if name != "_errors":
            out.extend(_flatten_details(child, f"{path}.{name}" if path else str(name)))
    return [_shorten(line) for line in out[:10]]


def _timeout_error(exc: httpx.TimeoutException) -> RequestTimeoutError:
    if isinstance(exc, httpx.ConnectTimeout):
        return RequestTimeoutError("could not connect to Venice in time; check your network")
    return RequestTimeoutError("Venice did not answer in time; try again or shorten the period")


def _is_dns_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        text = str(seen).lower()
        if (
            "name or service not known" in text
            or "name resolution" in text
            or ("nodename nor servname" in text)
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _connect_error(exc: httpx.ConnectError, base_url: str) -> NetworkError:
    host = httpx.URL(base_url).host
    if _is_dns_failure(exc):
        return NetworkError(f"cannot resolve {host}: check your network or --base-url")
    return NetworkError(
        f"cannot connect to {host} ({_reason(exc)}); check your network or --base-url"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return _shorten(text, 120)


def _shorten(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = ["HttpStatusError", "UsageClient"]
