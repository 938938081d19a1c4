"""Everything the TUI needs to get from settings to a working client: find, check, store keys.

Blocking calls (the keyring) are meant to run on a worker thread; nothing here knows about a UI.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from venice_tui.api.errors import MissingKeyError
from venice_tui.api.secret import ApiKey
from venice_tui.archive.archive import Archive
from venice_tui.core import key_file, keyring_store
from venice_tui.core.config import load_config, remember_profile
from venice_tui.core.credentials import DEFAULT_PROFILE, FoundKey, find_key, keyring_place
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.paths import archive_path
from venice_tui.core.settings import Settings, validate_profile
from venice_tui.core.snapshot_cache import SnapshotCache

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient
    from venice_tui.api.sync_client import VeniceSyncClient


class Storage(enum.Enum):
    KEYRING = "keyring"
    FILE = "file"
    SESSION = "session"


@dataclass(frozen=True)
class Connection:
    """A live account: the settings, and how to find, check and keep its key."""

    settings: Settings
    is_demo = False

    @property
    def profile(self) -> str:
        return self.settings.profile

    def for_profile(self, profile: str) -> Connection:
        return Connection(replace(self.settings, profile=validate_profile(profile)))

    def find_key(self) -> FoundKey | None:
        return find_key(self.profile, os.environ)

    def keyring_status(self) -> keyring_store.KeyringStatus:
        return keyring_store.probe()

    def client(self, key: ApiKey) -> VeniceClient:
        from venice_tui.api.client import VeniceClient

        return VeniceClient(key, self.settings.base_url, **self.settings.client_options())

    def sync_client(self) -> VeniceSyncClient:
        """A blocking client with the profile's key, for one-shot commands."""
        from venice_tui.api.sync_client import VeniceSyncClient

        found = self.find_key()
        if found is None:
            raise MissingKeyError()
        if found.warning:
            print(f"venice-tui: warning: {found.warning}", file=sys.stderr)
        return VeniceSyncClient(found.key, self.settings.base_url, **self.settings.client_options())

    def cache(self) -> SnapshotCache:
        return SnapshotCache(self.profile, self.settings.base_url)

    def archive(self) -> Archive:
        return Archive(archive_path(self.profile, self.settings.base_url))

    def fetchers(self, client: VeniceClient, clock: Callable[[], datetime]) -> AccountFetcher:
        """Fetches with `client` and keeps each good answer on disk for the next start."""
        return AccountFetcher(client, self.cache(), clock, self.archive())

    def store_key(self, key: ApiKey, storage: Storage, keyring_backend: str = "") -> str:
        """Keep the key as chosen; returns where, in words. Raises KeyringUnavailable."""
        if storage is Storage.KEYRING:
            keyring_store.put(self.profile, key.reveal())
            remember_profile(self.profile)
            return (
                f"the {keyring_place(keyring_backend)}" if keyring_backend else "the system keyring"
            )
        if storage is Storage.FILE:
            path = key_file.store_key(self.profile, key.reveal())
            return f"the plaintext file {path} (mode 0600)"
        return "memory only: it is forgotten when you quit"

    def known_profiles(self) -> list[str]:
        return known_profiles(self.profile)


def known_profiles(current: str) -> list[str]:
    """Every profile there is a trace of: the default, `current`, the config's list (the
    keyring cannot list its entries) and the plaintext key file's."""
    config = load_config()
    names = {config.default_profile or DEFAULT_PROFILE, current, *config.profiles}
    names.update(key_file.read_keys())
    return sorted(names)
