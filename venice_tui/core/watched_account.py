"""What watching an account needs of it (a live `Connection` or the demo's): the shape the
fleet's background refresh and the dashboard's session both use. Types only: importing it costs
the first frame nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from venice_tui.api.client import VeniceClient
    from venice_tui.api.secret import ApiKey
    from venice_tui.core.budgets import Budgets
    from venice_tui.core.credentials import FoundKey
    from venice_tui.core.data_source import Source
    from venice_tui.core.fetching import AccountFetcher, KeyList
    from venice_tui.core.identity import AccountFiles, Placement


class WatchedAccount(Protocol):
    """One profile's account: its key, client, files and fetchers."""

    @property
    def profile(self) -> str: ...

    @property
    def source(self) -> Source: ...

    def budgets(self) -> tuple[Budgets, list[str]]: ...

    def find_key(self) -> FoundKey | None: ...

    def client(self, key: ApiKey) -> VeniceClient: ...

    async def place_async(
        self, client: VeniceClient, key: ApiKey, listed: KeyList | None = None
    ) -> Placement: ...

    def known_files(self, key: ApiKey) -> AccountFiles | None: ...

    def last_shown(self) -> AccountFiles | None: ...

    def fetchers(
        self, client: VeniceClient, clock: Callable[[], datetime], files: AccountFiles | None
    ) -> AccountFetcher: ...
