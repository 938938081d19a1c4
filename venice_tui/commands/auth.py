"""`venice-tui auth login | status | logout`: keep API keys where the person chose, and say where."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from venice_tui.api.errors import AuthError, PaymentRequiredError, VeniceError
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.core import key_file, keyring_store
from venice_tui.core.config import forget_profile, load_config
from venice_tui.core.connection import Connection, Storage, known_profiles
from venice_tui.core.credentials import (
    DEFAULT_PROFILE,
    ENV_VAR,
    key_from_environment,
    keyring_place,
)
from venice_tui.core.settings import Settings


def _err(message: str) -> None:
    print(f"venice-tui: {message}", file=sys.stderr)


def read_secret(stdin: TextIO) -> str:
    """A hidden prompt on a terminal; the first line of stdin otherwise (for scripts)."""
    if stdin.isatty():
        return getpass.getpass("Venice ADMIN API key (input hidden): ")
    return stdin.readline().strip()


def no_keyring_message(reason: str) -> str:
    return (
        f"no usable keyring here ({reason}); nothing was stored. Ways out: "
        "`venice-tui auth login --insecure-storage` keeps the key in a plaintext file "
        f"(mode 0600) at {key_file.key_file_path()}, or set {ENV_VAR} in your environment"
    )


def check_key(key: ApiKey, base_url: str) -> list[str]:
    """The ids of the key's account's keys (`core.identity` tells accounts apart by them).
    Raises AuthError for a refused key; other failures mean the key could not be checked."""
    with VeniceSyncClient(key, base_url) as client:
        client.fetch(Period.lookback(1))
        return [k.key_id for k in client.api_keys()]


def run_login(settings: Settings, insecure: bool, stdin: TextIO = sys.stdin) -> int:
    keyring_status = None if insecure else keyring_store.probe()
    if keyring_status is not None and not keyring_status.usable:
        _err(no_keyring_message(keyring_status.reason))
        return 1
    try:
        key = ApiKey(read_secret(stdin))
    except ValueError as exc:
        _err(f"that is not an API key: {exc}; nothing was stored")
        return 2
    except (EOFError, KeyboardInterrupt):
        _err("no key given; nothing was stored")
        return 1
    key_ids: list[str] | None = None
    try:
        key_ids = check_key(key, settings.base_url)
        print(f"Checked: Venice accepts this key for billing ({key.masked}).")
    except (AuthError, PaymentRequiredError) as exc:
        _err(f"{exc}. Nothing was stored")
        return 1
    except VeniceError as exc:
        print(
            f"Warning: could not check the key with Venice ({exc}); storing it anyway.",
            file=sys.stderr,
        )
    code = _store(settings, key, insecure, keyring_status)
    if code == 0:
        _place(Connection(settings), key, key_ids)
    return code


def _place(connection: Connection, key: ApiKey, key_ids: list[str] | None) -> None:
    """The profile shows this key's account from now on: placed by its key list, or, when
    that could not be had, nothing is shown before the dashboard places it."""
    if key_ids is None:
        connection.forget_shown()
        return
    placement = connection.place(key, key_ids)
    if placement.notice:
        print(f"Note: {placement.notice}.")


def _store(
    settings: Settings, key: ApiKey, insecure: bool, status: keyring_store.KeyringStatus | None
) -> int:
    connection = Connection(settings)
    profile = settings.profile
    if insecure:
        where = connection.store_key(key, Storage.FILE)
        print(
            f"Warning: the key for profile {profile!r} is stored in PLAIN TEXT in {where}. "
            "Anyone who can read that file can spend from your account.",
            file=sys.stderr,
        )
        return 0
    assert status is not None
    try:
        where = connection.store_key(key, Storage.KEYRING, status.backend)
    except keyring_store.KeyringUnavailable as exc:
        _err(f"{exc}; nothing was stored. Try `--insecure-storage` or set {ENV_VAR}")
        return 1
    print(f"Stored the key {key.masked} for profile {profile!r} in {where}.")
    return 0


def run_status(settings: Settings, env: Mapping[str, str] = os.environ) -> int:
    config = load_config()
    default = config.default_profile or DEFAULT_PROFILE
    file_keys = key_file.read_keys()
    status = keyring_store.probe()
    profiles = known_profiles(settings.profile)
    print(f"Profiles (default: {default}; this command uses: {settings.profile})")
    width = max(len(p) for p in profiles)
    for profile in profiles:
        marker = "*" if profile == default else " "
        places = []
        if status.usable:
            try:
                secret = keyring_store.get(profile)
            except keyring_store.KeyringUnavailable:
                secret = None
            if secret:
                places.append(f"{ApiKey(secret).masked}  {keyring_place(status.backend)}")
        if profile in file_keys:
            places.append(
                f"{ApiKey(file_keys[profile]).masked}  plaintext file {key_file.key_file_path()}"
            )
        print(f" {marker} {profile:<{width}}  {' | '.join(places) or 'no key stored'}")
    env_key = key_from_environment(env)
    if env_key is not None:
        print(
            f"{ENV_VAR} is set ({env_key.masked}): it is used for every profile, whatever is stored."
        )
    if status.usable:
        print(f"Keyring: usable ({status.backend}).")
    else:
        print(f"Keyring: not usable ({status.reason}).")
    return 0


def run_logout(settings: Settings, env: Mapping[str, str] = os.environ) -> int:
    profile = settings.profile
    removed = []
    status = keyring_store.probe()
    if status.usable:
        try:
            if keyring_store.delete(profile):
                removed.append(f"the {keyring_place(status.backend)}")
        except keyring_store.KeyringUnavailable as exc:
            _err(f"could not remove the key from the keyring: {exc}")
            return 1
    if key_file.remove_key(profile):
        removed.append(f"the plaintext file {key_file.key_file_path()}")
    forget_profile(profile)
    if removed:
        print(f"Removed the key of profile {profile!r} from {' and '.join(removed)}.")
    else:
        print(f"No stored key for profile {profile!r}; nothing to remove.")
    if key_from_environment(env) is not None:
        print(f"Note: {ENV_VAR} is still set in your environment and will keep being used.")
    return 0
