"""Where the API key comes from, in order: `VENICE_API_KEY`, the OS keyring, the plaintext file.

The plaintext file exists only if the person chose `--insecure-storage`; the keyring counts only
when it is a real backend that answers (see `keyring_store.probe`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from venice_tui.api.errors import ConfigError
from venice_tui.api.secret import ApiKey
from venice_tui.core import key_file, keyring_store
from venice_tui.core.config import Config, load_config

ENV_VAR = "VENICE_API_KEY"
PROFILE_ENV_VAR = "VENICE_PROFILE"
DEFAULT_PROFILE = "default"


class KeySource(enum.Enum):
    ENVIRONMENT = "environment (VENICE_API_KEY)"
    KEYRING = "system keyring"
    FILE = "plaintext file"


@dataclass(frozen=True, slots=True)
class FoundKey:
    key: ApiKey
    source: KeySource
    where: str
    #: Something the person should hear about the place (a key file others may read).
    warning: str | None = None


def key_from_environment(env: Mapping[str, str]) -> ApiKey | None:
    value = env.get(ENV_VAR, "").strip()
    if not value:
        return None
    try:
        return ApiKey(value)
    except ValueError as exc:
        raise ConfigError(f"{ENV_VAR} is not a usable API key: {exc}") from None


def resolve_profile(
    option: str | None, env: Mapping[str, str], config: Config | None = None
) -> str:
    """`--profile`, then `VENICE_PROFILE`, then the config's `default_profile`, then `default`."""
    if option:
        return option
    if env.get(PROFILE_ENV_VAR):
        return env[PROFILE_ENV_VAR]
    return (config or load_config()).default_profile or DEFAULT_PROFILE


def find_key(profile: str, env: Mapping[str, str]) -> FoundKey | None:
    """The key to use for `profile`, or None when there is none anywhere."""
    from_env = key_from_environment(env)
    if from_env is not None:
        return FoundKey(from_env, KeySource.ENVIRONMENT, ENV_VAR)
    from_keyring = keyring_key(profile)
    if from_keyring is not None:
        return from_keyring
    stored_in_file = key_file.read_keys().get(profile)
    if stored_in_file:
        return FoundKey(
            ApiKey(stored_in_file),
            KeySource.FILE,
            str(key_file.key_file_path()),
            key_file.permission_warning(),
        )
    return None


def keyring_key(profile: str) -> FoundKey | None:
    status = keyring_store.probe()
    if not status.usable:
        return None
    try:
        secret = keyring_store.get(profile)
    except keyring_store.KeyringUnavailable:
        return None
    if not secret:
        return None
    return FoundKey(ApiKey(secret), KeySource.KEYRING, keyring_place(status.backend))


def keyring_place(backend: str) -> str:
    return f"{backend}, service {keyring_store.SERVICE!r}"


def find_api_key(profile: str, env: Mapping[str, str]) -> ApiKey | None:
    found = find_key(profile, env)
    return found.key if found else None
