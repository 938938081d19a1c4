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
from venice_tui.core.budgets import DEMO_BUDGETS, DEMO_PROFILE, Budgets, Limits, account_budgets
from venice_tui.core.connection import NothingKeptError
from venice_tui.core.credentials import FoundKey, KeySource
from venice_tui.core.fetching import AccountFetcher, KeyList
from venice_tui.core.fleet import DEMO_FLEET
from venice_tui.core.identity import AccountFiles, Placement, demo_files
from venice_tui.core.keyring_store import KeyringStatus
from venice_tui.core.store import Source
from venice_tui.demo.responder import (
    CLIENT_ACCOUNT_MARK,
    STAGING_ACCOUNT_MARK,
    WORK_ACCOUNT_MARK,
    DemoResponder,
)
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


__all__ = ["DEMO_BUDGETS", "DemoConnection", "demo_client", "demo_fleet"]

#: Each demo fleet account: its key (the responder answers by it) and its budgets.
FLEET_MEMBERS: dict[str, tuple[str, Budgets]] = {
    # The main account: on course to pass its monthly budget (a forecast warning).
    "demo-work": (
        f"{WORK_ACCOUNT_MARK}-admin-7f3a",
        Budgets(Limits(monthly_usd=350.0, daily_usd=15.0)),
    ),
    # An agency client's account: well within its budget, its chatbot key at its Venice limit.
    "demo-client": (f"{CLIENT_ACCOUNT_MARK}-admin-c41e", Budgets(Limits(monthly_usd=600.0))),
    # Staging: cents a day, far below its budget.
    "demo-staging": (f"{STAGING_ACCOUNT_MARK}-admin-5b09", Budgets(Limits(monthly_usd=50.0))),
}
assert tuple(FLEET_MEMBERS) == DEMO_FLEET


def demo_fleet_member(
    responder: DemoResponder, profile: str, today: Callable[[], date] = utc_today
) -> DemoConnection:
    key, budgets = FLEET_MEMBERS[profile]
    return DemoConnection(
        responder, today=today, default_budgets=budgets, name=profile, api_key=key
    )


def demo_fleet(responder: DemoResponder | None = None) -> list[DemoConnection]:
    """The demo's three accounts (`--demo` over all profiles), answered by one responder."""
    responder = responder or DemoResponder()
    return [demo_fleet_member(responder, name) for name in DEMO_FLEET]


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
    #: Its budgets while config.toml has no `[budget.<profile>]`.
    default_budgets: Budgets = DEMO_BUDGETS
    #: The profile it stands for: `demo`, or one of the demo fleet's (`core.fleet.DEMO_FLEET`).
    name: str = DEMO_PROFILE
    #: The key it sends: the demo server answers each fleet account by its key.
    api_key: str = DEMO_API_KEY
    takes_keys = False
    source = Source.DEMO

    @classmethod
    def standard(cls) -> DemoConnection:
        return cls(DemoResponder())

    @property
    def profile(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return "demo data" if self.name == DEMO_PROFILE else f"demo data, {self.name}"

    def budgets(self) -> tuple[Budgets, list[str]]:
        return account_budgets(self.profile, fallback=self.default_budgets)

    def files(self) -> AccountFiles:
        return demo_files(self.name)

    def offline_files(self) -> AccountFiles:
        raise NothingKeptError("demo data is never kept on disk: leave out --offline")

    def files_if_known(self) -> AccountFiles:
        return self.files()

    def place_from(self, keys: object) -> AccountFiles:
        return self.files()

    def last_shown(self) -> None:
        return None

    def known_files(self, key: ApiKey) -> AccountFiles:
        return self.files()

    async def place_async(
        self, client: VeniceClient, key: ApiKey, listed: KeyList | None = None
    ) -> Placement:
        return Placement(self.files())

    def find_key(self) -> FoundKey:
        return FoundKey(ApiKey(self.api_key), KeySource.ENVIRONMENT, "the demo")

    def client(self, key: ApiKey | None = None) -> VeniceClient:
        return VeniceClient(
            ApiKey(self.api_key),
            DEMO_BASE_URL,
            transport=DemoTransport(self.responder),
            today=self.today,
        )

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey(self.api_key), DEMO_BASE_URL, transport=DemoSyncTransport(self.responder)
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

    def fleet(self) -> list[str]:
        """The profiles `--all-profiles` covers: the demo fleet's three accounts."""
        return list(DEMO_FLEET)

    def for_profile(self, profile: str) -> DemoConnection:
        """The demo fleet's account of that name (on the same responder), else this one."""
        if profile == self.name or profile not in DEMO_FLEET:
            return self
        return demo_fleet_member(self.responder, profile, self.today)

    def fleet_member(self, profile: str) -> DemoConnection:
        """What `--demo` shows for `profile`: that demo fleet account, else the fleet's first,
        so the dashboard and every command show one demo account with one set of budgets."""
        return self.for_profile(profile if profile in DEMO_FLEET else DEMO_FLEET[0])

    def keyring_status(self) -> KeyringStatus:
        return KeyringStatus(False, "", "the demo keeps no key")

    def store_key(self, key: ApiKey, storage: object, keyring_backend: str = "") -> str:
        return "memory only: the demo keeps no key"
