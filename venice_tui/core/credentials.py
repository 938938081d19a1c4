"""Where the API key comes from: `VENICE_API_KEY` first, then what the person stored."""

from __future__ import annotations

from collections.abc import Mapping

from venice_tui.api.secret import ApiKey

ENV_VAR = "VENICE_API_KEY"


def key_from_environment(env: Mapping[str, str]) -> ApiKey | None:
    value = env.get(ENV_VAR, "").strip()
    return ApiKey(value) if value else None


def find_api_key(profile: str, env: Mapping[str, str]) -> ApiKey | None:
    """The key to use for `profile`, or None when there is none anywhere."""
    return key_from_environment(env)
