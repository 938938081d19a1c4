"""Settings every command shares, resolved from options and the environment (key aside)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from venice_tui.api.endpoint import DEFAULT_BASE_URL, validate_base_url
from venice_tui.api.errors import ConfigError
from venice_tui.core.config import PROFILE_RULE, is_valid_profile

__all__ = ["ConfigError", "Settings", "resolve_settings", "validate_profile"]


@dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    profile: str
    demo: bool = False
    #: Seconds to wait for Venice's answer (`--timeout`); None keeps the client's defaults.
    timeout: float | None = None
    #: Problems with config.toml, one line each: said once, never fatal.
    notices: tuple[str, ...] = ()
    #: The server chosen for every profile (`--base-url`, `VENICE_BASE_URL`); None: each
    #: profile's own (`[profile.<name>] base_url`, else Venice's).
    chosen_base_url: str | None = None

    def for_profile(self, profile: str) -> Settings:
        """These settings for another profile, with that profile's own server unless one was
        chosen for all: a key never goes to a server not configured for it."""
        from venice_tui.core.config import load_config

        return profile_settings(self, profile, self.chosen_base_url, load_config().base_urls)

    def client_options(self) -> dict[str, Any]:
        if self.timeout is None:
            return {}
        import httpx

        return {
            "timeout": httpx.Timeout(
                connect=min(5.0, self.timeout), read=self.timeout, write=10.0, pool=5.0
            ),
            "deadline": self.timeout * 2,
        }


def validate_profile(name: str) -> str:
    if not is_valid_profile(name):
        raise ConfigError(f"profile {name!r} is not a valid name: use {PROFILE_RULE}")
    return name


def resolve_settings(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    from venice_tui.core.config import load_config
    from venice_tui.core.credentials import resolve_profile

    config = load_config()
    profile = resolve_profile(getattr(args, "profile", None), env, config)
    base_url = chosen_base_url(args, env) or config.base_urls.get(profile) or DEFAULT_BASE_URL
    return Settings(
        base_url=validate_base_url(base_url),
        profile=validate_profile(profile),
        demo=bool(getattr(args, "demo", False)),
        timeout=getattr(args, "timeout", None),
        notices=tuple(config.problems),
        chosen_base_url=chosen_base_url(args, env),
    )


def chosen_base_url(args: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    """`--base-url` or `VENICE_BASE_URL`: one server for every profile; None when neither is
    given (then each profile's `[profile.<name>] base_url`, else Venice's)."""
    chosen = getattr(args, "base_url", None) or env.get("VENICE_BASE_URL")
    return chosen or None


def profile_settings(
    settings: Settings, profile: str, base_url: str | None, base_urls: Mapping[str, str]
) -> Settings:
    """`settings` for another profile: its own server unless one was chosen for all."""
    from dataclasses import replace

    url = base_url or base_urls.get(profile) or DEFAULT_BASE_URL
    return replace(settings, profile=validate_profile(profile), base_url=validate_base_url(url))
