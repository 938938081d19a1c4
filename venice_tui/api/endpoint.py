"""Where the API lives: the base URL, checked before any request is made."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from venice_tui.api.errors import ConfigError

DEFAULT_BASE_URL = "https://api.venice.ai/api/v1"
USAGE_ANALYTICS_PATH = "/billing/usage-analytics"
BALANCE_PATH = "/billing/balance"
API_KEYS_PATH = "/api_keys"
RATE_LIMITS_PATH = "/api_keys/rate_limits"
USAGE_HISTORY_PATH = "/billing/usage-history"
#: A body larger than this is refused rather than read into memory.
MAX_BODY_BYTES = 64 * 1024 * 1024


def validate_base_url(url: str) -> str:
    """Return the base URL without a trailing slash, or raise ConfigError saying what is allowed.

    Plain `http://` would send the key in clear text, so it is allowed only to loopback hosts.
    """
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        raise ConfigError(
            "base URL contains control characters (a line break?): use https://host/path"
        )
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"base URL {text!r} is not a URL: use https://host/path, e.g. {DEFAULT_BASE_URL}"
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(
            "base URL must not carry credentials, a query or a fragment: use https://host/path"
        )
    try:
        _ = parts.port
    except ValueError:
        raise ConfigError(f"base URL {text!r} has an invalid port") from None
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(
            f"refusing plain http:// to {parts.hostname}: it would send the API key unencrypted; "
            "use https:// (http:// is allowed only to localhost)"
        )
    return text.rstrip("/")


def is_loopback_host(host: str) -> bool:
    """`localhost` or a literal loopback address. Names under `.localhost` are refused: a
    resolver may send them anywhere, and plain http would carry the key there."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
