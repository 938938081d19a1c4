"""Settings every command shares, resolved from options and the environment (key aside)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from venice_tui.api.endpoint import DEFAULT_BASE_URL, validate_base_url
from venice_tui.api.errors import ConfigError

_PROFILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

__all__ = ["ConfigError", "Settings", "resolve_settings", "validate_profile"]


@dataclass(frozen=True, slots=True)
class Settings:
    base_url: str
    profile: str
    demo: bool = False
    #: Seconds to wait for Venice's answer (`--timeout`); None keeps the client's defaults.
    timeout: float | None = None

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
    if not _PROFILE_RE.match(name):
        raise ConfigError(
            f"profile {name!r} is not a valid name: use letters, digits, '.', '_' or '-' (at most 64)"
        )
    return name


def resolve_settings(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    base_url = getattr(args, "base_url", None) or env.get("VENICE_BASE_URL") or DEFAULT_BASE_URL
    from venice_tui.core.credentials import resolve_profile

    profile = resolve_profile(getattr(args, "profile", None), env)
    return Settings(
        base_url=validate_base_url(base_url),
        profile=validate_profile(profile),
        demo=bool(getattr(args, "demo", False)),
        timeout=getattr(args, "timeout", None),
    )
