"""Typed failures of a usage query. Every `str()` is one line a person can act on, without the key."""

from __future__ import annotations


class VeniceError(Exception):
    """Base of everything the data path raises on purpose."""

    #: Short label for a status line ("HTTP 504", "network").
    kind: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))

    @property
    def message(self) -> str:
        return str(self)


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

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.kind = f"HTTP {status}"
        super().__init__(message)


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
        super().__init__(
            401,
            f"Venice rejected the API key{said}: billing needs an ADMIN key — create one under "
            "API settings on venice.ai, then run `venice-tui auth login`",
        )


class PaymentRequiredError(HttpStatusError):
    def __init__(self, server_message: str) -> None:
        said = f" ({server_message})" if server_message else ""
        super().__init__(
            402,
            f"Venice answered 402 Payment Required{said}: the request carried no usable API key; "
            "check VENICE_API_KEY or run `venice-tui auth login`",
        )


class RateLimitedError(HttpStatusError):
    def __init__(self, retry_after: float | None) -> None:
        self.retry_after = retry_after
        wait = f"; Venice asks to wait {retry_after:.0f} s" if retry_after else ""
        super().__init__(429, f"rate limited by Venice (429){wait}; try again shortly")


class ServerError(HttpStatusError):
    def __init__(self, status: int, server_message: str) -> None:
        said = f": {server_message}" if server_message else ""
        super().__init__(
            status,
            f"Venice had a server error ({status}){said}; retried and gave up, try again later",
        )


class GatewayTimeoutError(HttpStatusError):
    def __init__(self, period_label: str) -> None:
        super().__init__(
            504,
            f"Venice timed out adding up usage for {period_label} (504); "
            "shorten the period, e.g. --lookback 7d",
        )


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


def _one_line(text: str) -> str:
    return " ".join(text.split())
