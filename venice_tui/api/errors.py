"""Typed failures of a request to Venice. Every message is one line a person can act on.

Messages are folded to one line and made visible (`text.visible`): they may quote a server's
words, and those are shown, never obeyed. The key never appears in them.

Where the remedy depends on the place (a flag on the command line, a key in the dashboard),
`str(error)` is the command line's wording and `error.in_dashboard` the dashboard's.
"""

from __future__ import annotations

from venice_tui.api.period import PRESET_DAYS, Period
from venice_tui.api.retry import DEFAULT_POLICY
from venice_tui.api.text import one_line

MESSAGE_LIMIT = 300


class VeniceError(Exception):
    """Base of everything the data path raises on purpose."""

    #: Short label for a status line ("HTTP 504", "network").
    kind: str = "error"

    def __init__(self, message: str, *, in_dashboard: str | None = None) -> None:
        super().__init__(one_line(message, MESSAGE_LIMIT))
        #: The same failure in the dashboard's words (keys instead of flags).
        self.in_dashboard = one_line(in_dashboard, MESSAGE_LIMIT) if in_dashboard else str(self)


class ConfigError(VeniceError):
    """A setting the tool cannot use (base URL, missing key); fixed by the person, not by retrying."""

    kind = "config"


class MissingKeyError(ConfigError):
    def __init__(self) -> None:
        super().__init__(
            "no Venice API key: run `venice-tui auth login` or set VENICE_API_KEY "
            "(an ADMIN key is needed for billing)"
        )


class HttpStatusError(VeniceError):
    status: int = 0

    def __init__(self, status: int, message: str, *, in_dashboard: str | None = None) -> None:
        self.status = status
        self.kind = f"HTTP {status}"
        super().__init__(message, in_dashboard=in_dashboard)


class BadRequestError(HttpStatusError):
    """400: the API refused the query; `details` are the field paths and messages it gave."""

    def __init__(self, error: str, details: list[str]) -> None:
        self.details = details
        text = f"Venice refused the request (400): {error or 'invalid parameters'}"
        if details:
            text += " — " + "; ".join(details)
        super().__init__(400, text)


class AuthError(HttpStatusError):
    def __init__(self, server_message: str) -> None:
        said = f" ({server_message})" if server_message else ""
        what = f"Venice rejected the API key{said}: billing needs an ADMIN key"
        super().__init__(
            401,
            f"{what} — create one under API settings on venice.ai, then run `venice-tui auth login`",
            in_dashboard=f"{what} — create one under API settings on venice.ai and log in again",
        )


class PaymentRequiredError(HttpStatusError):
    def __init__(self, server_message: str) -> None:
        said = f" ({server_message})" if server_message else ""
        what = f"Venice answered 402 Payment Required{said}: the request carried no usable API key"
        super().__init__(
            402,
            f"{what}; check VENICE_API_KEY or run `venice-tui auth login`",
            in_dashboard=f"{what}; log in again with an ADMIN key",
        )


class RateLimitedError(HttpStatusError):
    def __init__(self, retry_after: float | None) -> None:
        #: What Venice asked for (finite, at most a day); `wait` is what we will honour.
        self.retry_after = retry_after
        self.wait = DEFAULT_POLICY.clamp_rate_limit_wait(retry_after)
        asked = ""
        if retry_after:
            asked = (
                f"; Venice asks to wait {retry_after:.0f} s"
                if retry_after <= 3600
                else "; Venice asks to wait over an hour"
            )
        super().__init__(429, f"rate limited by Venice (429){asked}; try again shortly")


class ServerError(HttpStatusError):
    def __init__(self, status: int, server_message: str) -> None:
        said = f": {server_message}" if server_message else ""
        super().__init__(
            status,
            f"Venice had a server error ({status}){said}; retried and gave up, try again later",
        )


class GatewayTimeoutError(HttpStatusError):
    """504: Venice's aggregation timed out. The remedy is a shorter period, when one exists."""

    def __init__(self, period: Period) -> None:
        self.shorter = shorter_period(period)
        what = f"Venice timed out adding up usage for {period.label} (504)"
        if self.shorter is None:
            advice = "even one day is too much right now; try again in a few minutes"
            super().__init__(504, f"{what}; {advice}")
            return
        super().__init__(
            504,
            f"{what}; shorten the period, e.g. {_as_option(self.shorter)}",
            in_dashboard=f"{what}; press d for a shorter period, e.g. {self.shorter.label}",
        )


def shorter_period(period: Period) -> Period | None:
    """A period about half as long (a preset for lookbacks), or None below one day."""
    days = period.day_count
    if days <= 1:
        return None
    if period.is_lookback:
        return Period.lookback(max((d for d in PRESET_DAYS if d < days), default=1))
    assert period.end is not None
    return Period.ending(period.end, max(1, days // 2))


def _as_option(period: Period) -> str:
    if period.is_lookback:
        return f"--lookback {period.label}"
    assert period.start is not None and period.end is not None
    return f"--start {period.start.isoformat()} --end {period.end.isoformat()}"


class UnexpectedStatusError(HttpStatusError):
    def __init__(self, status: int, server_message: str) -> None:
        said = f": {server_message}" if server_message else ""
        super().__init__(status, f"Venice answered HTTP {status}{said}")


class BadResponseError(VeniceError):
    """The body was not the JSON the endpoint promises (HTML page, truncated, wrong shape)."""

    kind = "bad response"


class NetworkError(VeniceError):
    kind = "network"


class RequestTimeoutError(NetworkError):
    kind = "timeout"


class TooManyFailuresError(VeniceError):
    """Refused locally so we never trip Venice's block (more than 20 failures in 30 s)."""

    kind = "paused"

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(
            f"too many failed requests in a row; waiting {wait_seconds:.0f} s before asking Venice again"
        )
