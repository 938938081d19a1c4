"""The part of an Account that tests give their own: files that are never on disk, no cache,
no budgets. A double supplies `sync_client` and `archive`."""

from __future__ import annotations

from collections.abc import Sequence

from venice_tui.api.account import ApiKeyInfo
from venice_tui.archive.archive import Archive
from venice_tui.core.budgets import Budgets
from venice_tui.core.identity import AccountFiles

FILES = AccountFiles("test", "test", "test", "test", on_disk=False)


class AccountDouble:
    profile = "test"

    def archive(self) -> Archive:
        raise NotImplementedError

    def files(self) -> AccountFiles:
        return FILES

    def files_if_known(self) -> AccountFiles:
        return FILES

    def place_from(self, keys: Sequence[ApiKeyInfo] | None) -> AccountFiles:
        return FILES

    def offline_files(self) -> None:
        return None

    def archive_of(self, files: AccountFiles) -> Archive:
        return self.archive()

    def cache(self) -> None:
        return None

    def budgets(self) -> tuple[Budgets, list[str]]:
        return Budgets(), []
