"""One exchange with Venice, whichever client makes it: what is sent, how the answer is read and
checked, which failure becomes which typed error, and which failures are retried.

The async client (the dashboard) and the sync client (one-shot commands) both run their
requests through this module, so a status, a header or a retry rule is handled in one place.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from venice_tui import __version__
from venice_tui.api.calls import Call
from venice_tui.api.endpoint import MAX_BODY_BYTES
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
from venice_tui.api.retry import FailureBudget, RetryPolicy, retry_after_seconds
from venice_tui.api.secret import ApiKey
from venice_tui.api.text import one_line

USER_AGENT = f"venice-tui/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=45.0, write=10.0, pool=5.0)
#: A body that trickles in forever is cut off after this long, whatever the read timeout.
DEFAULT_DEADLINE = 90.0
_RETRYABLE_SERVER_STATUSES = (500, 502, 503)


@dataclass(frozen=True, slots=True)
class Reply:
    body: bytes
    headers: httpx.Headers


class BearerAuth(httpx.Auth):
    """Adds the key at send time, so no plain header dict holding it sits in any frame's locals
    (Textual's crash report prints locals; httpx masks Authorization in its own reprs)."""

    def __init__(self, api_key: ApiKey) -> None:
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer " + self._api_key.reveal()
        yield request

    def __repr__(self) -> str:
        return f"BearerAuth({self._api_key!r})"


def client_options(api_key: ApiKey, base_url: str, timeout: httpx.Timeout) -> dict[str, Any]:
    """The settings every httpx client of ours is made with."""
    return {
        "timeout": timeout,
        # Plain http:// is allowed only to loopback; there is no TLS to verify, so skip
        # loading the CA bundle (tens of milliseconds on every start).
        "verify": not base_url.startswith("http://"),
        "headers": {"User-Agent": USER_AGENT},
        "auth": BearerAuth(api_key),
        "follow_redirects": False,
    }


class RetryableError(Exception):
    """A failure worth another try; `error` is what the caller gets when tries run out."""

    def __init__(self, error: VeniceError, kind: str) -> None:
        self.error = error
        self.kind = kind


class Attempts:
    """The retry rules of one call: a few spaced retries of server errors, a refused
    connection and a 429, all counted in the one failure budget shared by every request.

    `retry` allows them all; `rate_limits` (by default as `retry`) the 429s alone: a one-shot
    command has no next cycle, so every request of it waits as Venice asks.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        budget: FailureBudget,
        retry: bool = True,
        rate_limits: bool | None = None,
    ) -> None:
        self._policy = policy
        self._budget = budget
        self._retry = retry
        self._rate_limits = retry if rate_limits is None else rate_limits
        self._used = {"server": 0, "connect": 0, "rate": 0}
        self._waited_for_rate = 0.0

    def check_budget(self) -> None:
        wait = self._budget.wait_needed()
        if wait > 0:
            raise TooManyFailuresError(wait)

    def wait_after(self, failure: Exception) -> float:
        """The seconds to wait before the next try; raises the final error when there is none."""
        if not isinstance(failure, VeniceError | RetryableError):
            raise failure  # a bug, not an answer of Venice's: not counted, not retried
        self._budget.record_failure()
        if isinstance(failure, RateLimitedError) and self._rate_limits:
            wait = self._policy.clamp_rate_limit_wait(failure.retry_after)
            if self._waited_for_rate + wait > self._policy.rate_limit_patience:
                raise failure
            self._waited_for_rate += wait
            return self._next("rate", failure, wait)
        if not self._retry:
            raise failure.error if isinstance(failure, RetryableError) else failure
        if isinstance(failure, RetryableError):
            return self._next(failure.kind, failure.error, None)
        raise failure

    def _next(self, kind: str, error: VeniceError, wait: float | None) -> float:
        allowed = {
            "server": self._policy.server_error_retries,
            "connect": self._policy.connect_retries,
            "rate": self._policy.rate_limit_retries,
        }[kind]
        used = self._used[kind]
        if used >= allowed:
            raise error
        self._used[kind] = used + 1
        return self._policy.backoff(used) if wait is None else wait


class BodyReader:
    """Collects a streamed body, refusing one that is too large or still arriving past the
    deadline (a read timeout alone would let a trickle go on forever)."""

    def __init__(self, deadline: float, call: Call) -> None:
        self._deadline = deadline
        self._call = call
        self._ends_at = time.monotonic() + deadline
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            raise BadResponseError(
                f"Venice's answer for {self._call.what} is larger than "
                f"{MAX_BODY_BYTES // (1024 * 1024)} MiB; {self._call.remedy}"
            )
        if time.monotonic() > self._ends_at:
            raise self.too_slow()
        self._chunks.append(chunk)

    def too_slow(self) -> RequestTimeoutError:
        return RequestTimeoutError(
            f"Venice did not finish answering within {self._deadline:.0f} s; {self._call.remedy}"
        )

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)


def read_all(chunks: Iterable[bytes], reader: BodyReader) -> bytes:
    for chunk in chunks:
        reader.add(chunk)
    return reader.body


def failure_from(exc: httpx.HTTPError, base_url: str, call: Call) -> Exception:
    """The typed error (or retryable wrapper) for an httpx exception."""
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            return RequestTimeoutError("could not connect to Venice in time; check your network")
        return RequestTimeoutError(f"Venice did not answer in time; {call.remedy}")
    if isinstance(exc, httpx.ConnectError):
        host = httpx.URL(base_url).host
        if _is_dns_failure(exc):
            return NetworkError(f"cannot resolve {host}: check your network or --base-url")
        return RetryableError(
            NetworkError(
                f"cannot connect to {host} ({_reason(exc)}); check your network or --base-url"
            ),
            "connect",
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return RetryableError(
            NetworkError(
                "the connection to Venice broke before the response was complete "
                f"({_reason(exc)}); try again"
            ),
            "connect",
        )
    return NetworkError(f"request to Venice failed: {_reason(exc)}")


def check_reply(call: Call, status: int, headers: httpx.Headers, body: bytes) -> Reply:
    """The reply when the status is 200; otherwise the typed error for the status."""
    if status == 200:
        return Reply(body, headers)
    payload = _error_payload(body)
    message = _error_message(payload, body)
    if status == 400:
        raise BadRequestError(message, _flatten_details(payload.get("details")))
    if status == 401:
        raise AuthError(message)
    if status == 402:
        raise PaymentRequiredError(message)
    if status == 429:
        raise RateLimitedError(retry_after_seconds(headers))
    if status in _RETRYABLE_SERVER_STATUSES:
        raise RetryableError(ServerError(status, message), "server")
    if status == 504:
        if call.period is not None:
            raise GatewayTimeoutError(call.period)
        raise HttpStatusError(504, f"Venice timed out preparing {call.what} (504); try again later")
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
        return one_line(error, 200)
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return one_line(error["message"], 200)
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
    return [one_line(line, 200) for line in out[:10]]


def _is_dns_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        text = str(seen).lower()
        if (
            "name or service not known" in text
            or "name resolution" in text
            or "nodename nor servname" in text
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(exc: BaseException) -> str:
    return one_line(str(exc) or type(exc).__name__, 120)
