import json
import socket
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from tests.payloads import encode, live_variant
from venice_tui.api.client import USER_AGENT, VeniceClient
from venice_tui.api.errors import (
    AuthError,
    BadRequestError,
    BadResponseError,
    ConfigError,
    GatewayTimeoutError,
    NetworkError,
    PaymentRequiredError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TooManyFailuresError,
    UnexpectedStatusError,
    VeniceError,
)
from venice_tui.api.period import Period
from venice_tui.api.retry import FailureBudget, RetryPolicy
from venice_tui.api.secret import ApiKey

SECRET = "sk-admin-0123456789abcdefSECRET"
BASE = "https://api.venice.ai/api/v1"
TODAY = date(2026, 11, 25)

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        return item


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(handler: Handler, sleeps: Sleeps | None = None, **kwargs: object) -> VeniceClient:
    return VeniceClient(
        ApiKey(SECRET),
        BASE,
        transport=httpx.MockTransport(handler),
        sleep=sleeps or Sleeps(),
        today=lambda: TODAY,
        **kwargs,  # type: ignore[arg-type]
    )


def ok() -> httpx.Response:
    return httpx.Response(200, content=encode(live_variant()))


def err(status: int, payload: object = None, **headers: str) -> httpx.Response:
    body = json.dumps(payload if payload is not None else {"error": f"status {status}"})
    return httpx.Response(status, content=body.encode(), headers=headers)


async def fetch(client: VeniceClient, period: Period | None = None) -> object:
    async with client:
        return await client.fetch(period or Period.lookback(3))


async def test_success_sends_key_only_in_the_header_with_user_agent_and_params() -> None:
    recorder = Recorder(ok())
    data = await fetch(make_client(recorder), Period.lookback(3))
    request = recorder.requests[0]
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert (
        request.headers["user-agent"].startswith("venice-tui/")
        and request.headers["user-agent"] == USER_AGENT
    )
    assert request.url.path == "/api/v1/billing/usage-analytics"
    assert dict(request.url.params) == {"lookback": "3d"}
    assert SECRET not in str(request.url)
    assert data.totals.usd == 2.0  # type: ignore[attr-defined]


async def test_date_range_sends_both_dates() -> None:
    recorder = Recorder(ok())
    await fetch(make_client(recorder), Period.between(date(2026, 11, 23), date(2026, 11, 25)))
    assert dict(recorder.requests[0].url.params) == {
        "startDate": "2026-11-23",
        "endDate": "2026-11-25",
    }


async def test_400_shows_the_details_paths_and_messages() -> None:
    details = {
        "_errors": [],
        "lookback": {"_errors": ["Invalid lookback"]},
        "a": {"b": {"_errors": ["deep"]}},
    }
    recorder = Recorder(err(400, {"error": "Invalid request parameters", "details": details}))
    with pytest.raises(BadRequestError) as caught:
        await fetch(make_client(recorder))
    assert "lookback: Invalid lookback" in str(caught.value)
    assert "a.b: deep" in str(caught.value)
    assert len(recorder.requests) == 1


async def test_401_says_an_admin_key_is_needed() -> None:
    recorder = Recorder(err(401, {"error": "Admin API key required"}))
    with pytest.raises(AuthError) as caught:
        await fetch(make_client(recorder))
    assert "ADMIN key" in str(caught.value) and "auth login" in str(caught.value)
    assert len(recorder.requests) == 1


async def test_402_explains_no_usable_key() -> None:
    with pytest.raises(PaymentRequiredError) as caught:
        await fetch(make_client(Recorder(err(402, {"error": "Payment required"}))))
    assert "402" in str(caught.value)


async def test_429_waits_as_retry_after_says_then_succeeds() -> None:
    sleeps = Sleeps()
    recorder = Recorder(err(429, **{"Retry-After": "7"}), ok())
    await fetch(make_client(recorder, sleeps))
    assert sleeps.waits == [7.0]
    assert len(recorder.requests) == 2


async def test_429_wait_is_clamped_and_retries_are_few() -> None:
    sleeps = Sleeps()
    recorder = Recorder(err(429, **{"Retry-After": "86400"}))
    with pytest.raises(RateLimitedError) as caught:
        await fetch(make_client(recorder, sleeps))
    assert sleeps.waits == [60.0]
    assert len(recorder.requests) == 2
    assert caught.value.retry_after == 86400


async def test_429_reads_x_ratelimit_reset_requests_as_unix_time() -> None:
    import time

    sleeps = Sleeps()
    reset = str(int(time.time()) + 12)
    await fetch(
        make_client(Recorder(err(429, **{"x-ratelimit-reset-requests": reset}), ok()), sleeps)
    )
    assert 10 <= sleeps.waits[0] <= 13


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_a_few_spaced_times(status: int) -> None:
    sleeps = Sleeps()
    recorder = Recorder(err(status))
    with pytest.raises(ServerError) as caught:
        await fetch(make_client(recorder, sleeps))
    assert len(recorder.requests) == 3
    assert len(sleeps.waits) == 2 and sleeps.waits[1] > sleeps.waits[0] > 0
    assert str(status) in str(caught.value)


async def test_503_then_success_recovers() -> None:
    recorder = Recorder(err(503), ok())
    await fetch(make_client(recorder))
    assert len(recorder.requests) == 2


async def test_502_html_page_is_described_not_dumped() -> None:
    page = httpx.Response(502, content=b"<html><body><h1>502 Bad Gateway</h1></body></html>")
    with pytest.raises(ServerError) as caught:
        await fetch(make_client(Recorder(page)))
    assert "HTML error page" in str(caught.value) and "<h1>" not in str(caught.value)


async def test_504_tells_to_shorten_the_period_without_retrying() -> None:
    recorder = Recorder(err(504, {"error": "Query timed out"}))
    with pytest.raises(GatewayTimeoutError) as caught:
        await fetch(make_client(recorder), Period.lookback(90))
    assert "shorten the period, e.g. --lookback 30d" in str(caught.value)
    assert "press d for a shorter period, e.g. 30d" in caught.value.in_dashboard
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("period", "cli", "dashboard"),
    [
        (Period.lookback(30), "--lookback 7d", "e.g. 7d"),
        (Period.lookback(7), "--lookback 1d", "e.g. 1d"),
        (Period.lookback(12), "--lookback 7d", "e.g. 7d"),
        (
            Period.between(date(2026, 10, 1), date(2026, 10, 20)),
            "--start 2026-10-11 --end 2026-10-20",
            "e.g. 2026-10-11 → 2026-10-20",
        ),
    ],
)
def test_504_advises_a_shorter_period_that_exists(period: Period, cli: str, dashboard: str) -> None:
    error = GatewayTimeoutError(period)
    assert cli in str(error) and dashboard in error.in_dashboard
    assert "--" not in error.in_dashboard


def test_504_at_one_day_does_not_advise_a_longer_period() -> None:
    error = GatewayTimeoutError(Period.lookback(1))
    assert error.shorter is None
    assert "--lookback" not in str(error) and "try again in a few minutes" in str(error)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("99999999", 86_400.0), ("inf", None), ("nan", None), ("-5", 0.0), ("12", 12.0)],
)
def test_retry_after_is_finite_and_bounded(header: str, expected: float | None) -> None:
    from venice_tui.api.retry import retry_after_seconds

    assert retry_after_seconds({"retry-after": header}, now=0) == expected


def test_a_429_asking_for_ages_is_honoured_for_at_most_a_minute() -> None:
    error = RateLimitedError(99_999_999)
    assert error.wait == 60 and "over an hour" in str(error)


async def test_error_texts_from_the_server_are_made_visible() -> None:
    evil = {"error": "\x1b]0;PWNED\x07 [/admin] denied\x9b"}
    with pytest.raises(AuthError) as caught:
        await fetch(make_client(Recorder(err(401, evil))))
    text = str(caught.value)
    assert "\\x1b]0;PWNED\\x07 [/admin] denied\\x9b" in text
    assert all(ch.isprintable() for ch in text + caught.value.in_dashboard)


async def test_other_statuses_are_named() -> None:
    with pytest.raises(UnexpectedStatusError) as caught:
        await fetch(make_client(Recorder(err(410, {"error": "Gone"}))))
    assert "HTTP 410: Gone" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"<!doctype html><html>login</html>", "HTML page"),
        (b'{"byDate": [', "cut off"),
        (b'{"data": []}', "unexpected shape"),
        (b"not json", "not valid JSON"),
    ],
)
async def test_bad_200_bodies(body: bytes, needle: str) -> None:
    with pytest.raises(BadResponseError) as caught:
        await fetch(make_client(Recorder(httpx.Response(200, content=body))))
    assert needle in str(caught.value)


async def test_read_timeout_is_not_retried() -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(RequestTimeoutError) as caught:
        await fetch(make_client(recorder))
    assert "did not answer in time" in str(caught.value)
    assert len(recorder.requests) == 1


async def test_connection_refused_is_retried_once_then_named() -> None:
    sleeps = Sleeps()
    recorder = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(NetworkError) as caught:
        await fetch(make_client(recorder, sleeps))
    assert "cannot connect to api.venice.ai" in str(caught.value)
    assert len(recorder.requests) == 2 and len(sleeps.waits) == 1


async def test_dns_failure_is_named_and_not_retried() -> None:
    failure = httpx.ConnectError("[Errno -2] Name or service not known")
    failure.__cause__ = socket.gaierror(-2, "Name or service not known")
    recorder = Recorder(failure)
    with pytest.raises(NetworkError) as caught:
        await fetch(make_client(recorder))
    assert "cannot resolve api.venice.ai" in str(caught.value)
    assert len(recorder.requests) == 1


async def test_broken_connection_mid_body() -> None:
    recorder = Recorder(httpx.RemoteProtocolError("peer closed connection"))
    with pytest.raises(NetworkError) as caught:
        await fetch(make_client(recorder))
    assert "broke before the response was complete" in str(caught.value)


async def test_failure_budget_stops_requests_before_venice_would_block_us() -> None:
    clock = [0.0]
    budget = FailureBudget(limit=15, window=30.0, clock=lambda: clock[0])
    recorder = Recorder(err(500))
    client = make_client(recorder, budget=budget, retry=RetryPolicy(server_error_retries=2))
    for _ in range(5):
        with pytest.raises(ServerError):
            await client.fetch(Period.lookback(3))
    assert len(recorder.requests) == 15
    with pytest.raises(TooManyFailuresError) as caught:
        await client.fetch(Period.lookback(3))
    assert len(recorder.requests) == 15
    assert caught.value.wait_seconds == 30.0
    clock[0] = 31.0
    with pytest.raises(ServerError):
        await client.fetch(Period.lookback(3))
    await client.aclose()


@pytest.mark.parametrize(
    "url",
    [
        "http://api.venice.ai/api/v1",
        "ftp://x",
        "not a url",
        "https://user:pw@host/api",
        "http://10.0.0.5/api",
    ],
)
def test_plain_http_and_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        VeniceClient(ApiKey(SECRET), url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/api/v1", "http://localhost:1/x", "http://[::1]:9/api"]
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert VeniceClient(ApiKey(SECRET), url).base_url == url


@pytest.mark.parametrize(
    "response",
    [
        err(401),
        err(400, {"error": "bad", "details": {"x": {"_errors": ["y"]}}}),
        err(500),
        err(504),
        httpx.Response(200, content=b"{bad"),
        httpx.ConnectError("refused"),
    ],
)
async def test_no_error_text_contains_the_key(response: httpx.Response | Exception) -> None:
    with pytest.raises(VeniceError) as caught:
        await fetch(make_client(Recorder(response)))
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert "SECRET" not in str(caught.value)
