"""The demo account behind `--demo`: the real clients, answered in-process by the responder.

`cli` picks this or a live `Connection` once; the TUI and the commands work with either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from venice_tui.api.client import VeniceClient
from venice_tui.api.period import utc_today
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.core.budgets import DEMO_BUDGETS, DEMO_PROFILE, Budgets, account_budgets
from venice_tui.core.connection import NothingKeptError
from venice_tui.core.credentials import FoundKey, KeySource
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.identity import AccountFiles, Placement, demo_files
from venice_tui.core.keyring_store import KeyringStatus
from venice_tui.core.store import Source
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoSyncTransport, DemoTransport


def demo_client(
    responder: DemoResponder | None = None,
    today: Callable[[], date] = utc_today,
    transport: DemoTransport | None = None,
) -> VeniceClient:
    """The real async client on demo data (the TUI, screenshots and tests use it)."""
    return VeniceClient(
        ApiKey(DEMO_API_KEY),
        DEMO_BASE_URL,
        transport=transport or DemoTransport(responder),
        today=today,
    )


__all__ = ["DEMO_BUDGETS", "DemoConnection", "demo_client"]


@dataclass(frozen=True)
class DemoConnection:
    """The demo account: the same part as a live `Connection` in every command and in the
    dashboard, answered in-process; its key is known at once and nothing of it is written."""

    responder: DemoResponder
    #: The demo's archive lives as long as the process: nothing of the demo goes to disk.
    memory: Archive = field(default_factory=Archive.in_memory, compare=False)
    today: Callable[[], date] = utc_today
    #: The demo keeps its (in-memory) ledger in sync from the start.
    ledger_by_default: bool = True
    #: Its budgets while config.toml has no `[budget.demo]`.
    default_budgets: Budgets = DEMO_BUDGETS
    profile = DEMO_PROFILE
    label = "demo data"
    takes_keys = False
    source = Source.DEMO

    @classmethod
    def standard(cls) -> DemoConnection:
        return cls(DemoResponder())

    def budgets(self) -> tuple[Budgets, list[str]]:
        return account_budgets(self.profile, fallback=self.default_budgets)

    def files(self) -> AccountFiles:
        return demo_files()

    def offline_files(self) -> AccountFiles:
        raise NothingKeptError("demo data is never kept on disk: leave out --offline")

    def files_if_known(self) -> AccountFiles:
        return demo_files()

    def place_from(self, keys: object) -> AccountFiles:
        return demo_files()

    def last_shown(self) -> None:
        return None

    def known_files(self, key: ApiKey) -> AccountFiles:
        return demo_files()

    async def place_async(self, client: VeniceClient, key: ApiKey) -> Placement:
        return Placement(demo_files())

    def find_key(self) -> FoundKey:
        return FoundKey(ApiKey(DEMO_API_KEY), KeySource.ENVIRONMENT, "the demo")

    def client(self, key: ApiKey | None = None) -> VeniceClient:
        return demo_client(self.responder, self.today)

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=DemoSyncTransport(self.responder)
        )

    def fetchers(
        self, client: VeniceClient, clock: Callable[[], datetime], files: AccountFiles | None
    ) -> AccountFetcher:
        return AccountFetcher(client, None, clock, self.memory)

    def cache(self) -> None:
        """Demo data is never kept on disk."""
        return None

    def archive(self) -> Archive:
        return self.memory

    def archive_of(self, files: AccountFiles) -> Archive:
        return self.memory

    def known_profiles(self) -> list[str]:
        return []

    def for_profile(self, profile: str) -> DemoConnection:
        return self

    def keyring_status(self) -> KeyringStatus:
        return KeyringStatus(False, "", "the demo keeps no key")

    def store_key(self, key: ApiKey, storage: object, keyring_backend: str = "") -> str:
        return "memory only: the demo keeps no key"
