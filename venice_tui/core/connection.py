"""Everything the TUI needs to get from settings to a working client: find, check, store keys.

Blocking calls (the keyring) are meant to run on a worker thread; nothing here knows about a UI.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from venice_tui.api.errors import AuthError, MissingKeyError, VeniceError
from venice_tui.api.secret import ApiKey
from venice_tui.core import key_file, keyring_store
from venice_tui.core.config import load_config, remember_profile
from venice_tui.core.credentials import (
    DEFAULT_PROFILE,
    FoundKey,
    find_key,
    key_from_environment,
    keyring_place,
)
from venice_tui.core.data_source import Source
from venice_tui.core.fs import place_digest
from venice_tui.core.identity import AccountBook, AccountFiles, Placement
from venice_tui.core.settings import Settings
from venice_tui.core.snapshot_cache import SnapshotCache

if TYPE_CHECKING:
    from venice_tui.api.account import ApiKeyInfo
    from venice_tui.api.client import VeniceClient
    from venice_tui.api.sync_client import VeniceSyncClient
    from venice_tui.archive.archive import Archive
    from venice_tui.core.budgets import Budgets
    from venice_tui.core.fetching import AccountFetcher, KeyList


class Storage(enum.Enum):
    KEYRING = "keyring"
    FILE = "file"
    SESSION = "session"


class NothingKeptError(VeniceError):
    """`--offline` where nothing of the account was ever kept."""

    kind = "offline"


@dataclass(frozen=True)
class Connection:
    """A live account: the settings, how to find, check and keep its key, and which Venice
    account the key belongs to (`core.identity`), which names everything kept on disk."""

    settings: Settings
    #: The key found and the account placed, once (one-shot commands ask several times).
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def profile(self) -> str:
        return self.settings.profile

    @property
    def label(self) -> str:
        return f"profile {self.profile}"

    #: The ledger is synced in the background only when config.toml or the palette says so.
    ledger_by_default = False
    takes_keys = True
    #: What the status line calls its data.
    source = Source.LIVE

    # The archive (sqlite3), the budgets and the fetcher are imported where they are used: a
    # one-shot `report` that folds nothing needs none of them.

    def archive_of(self, files: AccountFiles) -> Archive:
        from venice_tui.archive.archive import Archive

        return Archive(files.archive_path())

    def budgets(self) -> tuple[Budgets, list[str]]:
        from venice_tui.core.budgets import account_budgets

        return account_budgets(self.profile)

    def book(self) -> AccountBook:
        return AccountBook(self.profile, self.settings.base_url)

    def last_shown(self) -> AccountFiles | None:
        """The account whose data is painted before the key is found: a key in the environment
        is known at once (its own account, or none when it is new); else the account this
        profile showed last (`auth login` moves it to the new key's). A keyring key found later
        that belongs to another account takes that data off the screen."""
        try:
            from_env = key_from_environment(os.environ)
        except VeniceError:
            return None
        book = self.book()
        return book.known(from_env) if from_env is not None else book.last_shown()

    def forget_shown(self) -> None:
        """A key was stored whose account is not known yet: nothing is painted for this
        profile before it is placed."""
        book = self.book()
        if book.current is not None:
            book.current = None
            _save(book)

    def known_files(self, key: ApiKey) -> AccountFiles | None:
        """The account of a key seen before, without a request."""
        book = self.book()
        files = book.known(key)
        if files is not None and book.current != files.account:
            book.current = files.account
            _save(book)
        return files

    def place(self, key: ApiKey, key_ids: list[str] | None) -> Placement:
        """Place a new key by its account's key ids (None: the key cannot list them)."""
        book = self.book()
        base_url = self.settings.base_url
        legacy = AccountFiles(self.profile, base_url, "", place_digest(self.profile, base_url))
        placement = book.place(key, key_ids, lambda: _key_ids_in(SnapshotCache(legacy)))
        _save(book)
        return placement

    async def place_async(
        self, client: VeniceClient, key: ApiKey, listed: KeyList | None = None
    ) -> Placement:
        """The account of `key`; for a key not seen before, by the key list `listed` a refresh
        brought, else by asking Venice for it."""
        import asyncio

        files = await asyncio.to_thread(self.known_files, key)
        if files is not None:
            return Placement(files)
        if listed is not None:
            ids = list(listed.ids) if listed.ids is not None else None
        else:
            try:
                ids = [k.key_id for k in await client.api_keys()]
            except AuthError:
                ids = None  # an INFERENCE key cannot list keys: an account of its own for now
        return await asyncio.to_thread(self.place, key, ids)

    def files(self) -> AccountFiles | None:
        """The account of the profile's key, placed on first use (one request for a new key);
        None when a new key's account cannot be told now (its key list did not come): then
        nothing is read from or kept on disk this time. Raises MissingKeyError without a key."""
        if "files" not in self._memo:
            key = self._found().key
            files = self.known_files(key)
            if files is None:
                files = self._place_now(key)
            self._memo["files"] = files
        files = self._memo["files"]
        assert files is None or isinstance(files, AccountFiles)
        return files

    def files_if_known(self) -> AccountFiles | None:
        """The account of a key seen before (placed already), without a request."""
        if "files" in self._memo:
            return self.files()
        files = self.known_files(self._found().key)
        if files is not None:
            self._memo["files"] = files
        return files

    def place_from(self, keys: Sequence[ApiKeyInfo] | None) -> AccountFiles | None:
        """Place a new key by a key list a command fetched anyway (no request of its own);
        None when the list did not come."""
        if "files" in self._memo:
            return self.files()
        if keys is None:
            return None
        placement = self.place(self._found().key, [k.key_id for k in keys])
        if placement.notice:
            print(f"venice-tui: {placement.notice}", file=sys.stderr)
        self._memo["files"] = placement.files
        return placement.files

    def _place_now(self, key: ApiKey) -> AccountFiles | None:
        try:
            with self._client_for(key) as client:
                try:
                    ids: list[str] | None = [k.key_id for k in client.api_keys()]
                except AuthError:
                    ids = None  # an INFERENCE key: an account of its own for now
        except VeniceError:
            # Said by the command that needs the disk (`sync`); a report's numbers are whole.
            return None
        placement = self.place(key, ids)
        if placement.notice:
            print(f"venice-tui: {placement.notice}", file=sys.stderr)
        return placement.files

    def offline_files(self) -> AccountFiles | None:
        """The account whose kept data `--offline` reads: the key's if it was seen before,
        else the one the profile showed last; None when none was; never a request."""
        found = self.find_key()
        return (self.known_files(found.key) if found is not None else None) or self.last_shown()

    def for_profile(self, profile: str) -> Connection:
        return Connection(self.settings.for_profile(profile))

    def find_key(self) -> FoundKey | None:
        return find_key(self.profile, os.environ)

    def keyring_status(self) -> keyring_store.KeyringStatus:
        return keyring_store.probe()

    def client(self, key: ApiKey) -> VeniceClient:
        from venice_tui.api.client import VeniceClient

        return VeniceClient(key, self.settings.base_url, **self.settings.client_options())

    def _found(self) -> FoundKey:
        found = self._memo.get("key")
        if found is None:
            found = self.find_key()
            if found is None:
                raise MissingKeyError()
            if found.warning:
                print(f"venice-tui: warning: {found.warning}", file=sys.stderr)
            self._memo["key"] = found
        assert isinstance(found, FoundKey)
        return found

    def _client_for(self, key: ApiKey) -> VeniceSyncClient:
        from venice_tui.api.sync_client import VeniceSyncClient

        return VeniceSyncClient(key, self.settings.base_url, **self.settings.client_options())

    def sync_client(self) -> VeniceSyncClient:
        """A blocking client with the profile's key, for one-shot commands."""
        return self._client_for(self._found().key)

    def cache(self) -> SnapshotCache | None:
        """The last good data of the key's account (see `files`)."""
        files = self.files()
        return SnapshotCache(files) if files is not None else None

    def archive(self) -> Archive:
        """The key's account's archive (in memory while the account cannot be told)."""
        from venice_tui.archive.archive import Archive

        files = self.files()
        return self.archive_of(files) if files is not None else Archive.in_memory()

    def fetchers(
        self, client: VeniceClient, clock: Callable[[], datetime], files: AccountFiles | None
    ) -> AccountFetcher:
        """Fetches with `client` and keeps each good answer in `files`' account's cache and
        archive for the next start (None: the account cannot be told yet; nothing is kept)."""
        from venice_tui.core.fetching import AccountFetcher

        if files is None:
            return AccountFetcher(client, None, clock, None)
        return AccountFetcher(client, SnapshotCache(files), clock, self.archive_of(files))

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

    def fleet(self) -> list[str]:
        """The profiles `--all-profiles` covers (`core.fleet.fleet_profiles`)."""
        from venice_tui.core.fleet import fleet_profiles

        return fleet_profiles(self.profile)


def known_profiles(current: str) -> list[str]:
    """Every profile there is a trace of: the default, `current`, the config's list (the
    keyring cannot list its entries) and the plaintext key file's."""
    config = load_config()
    names = {config.default_profile or DEFAULT_PROFILE, current, *config.profiles}
    names.update(key_file.read_keys())
    return sorted(names)


def _save(book: AccountBook) -> None:
    """A book that cannot be written is placed again next time: never an error here."""
    with contextlib.suppress(OSError):
        book.save()


def _key_ids_in(cache: SnapshotCache) -> set[str]:
    """The key ids in the key list a cache holds (none when it holds none)."""
    state, _ = cache.load_account()
    return {k.key_id for k in state.keys.value or () if k.key_id}
