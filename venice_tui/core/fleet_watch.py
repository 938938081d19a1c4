"""One profile of the fleet watched on its own: its key, its account's files, its last good
data from disk, and a background refresh that asks what an Accounts row shows (the month so far,
the balance, the key list, the key's limits, the 30 days before today once a day).

Each profile has its own client, cache and archive (`Account.fetchers`), so a failing one
(401, 429, down) keeps its last good data with the failure beside it and never touches
another. Free of any UI framework: the dashboard runs `refresh` as a worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from venice_tui.api.errors import AuthError, PaymentRequiredError, RateLimitedError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Clock, Period
from venice_tui.api.text import one_line
from venice_tui.core.account_state import AccountState, Progress, pull_all
from venice_tui.core.data_source import Source
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.snapshot_cache import SnapshotCache
from venice_tui.core.watched_account import WatchedAccount

if TYPE_CHECKING:
    from venice_tui.api.account import ApiKeyInfo, Balance, RateLimits
    from venice_tui.api.client import VeniceClient
    from venice_tui.core.account_state import PeriodTotals

NO_KEY = "no key stored: venice-tui auth login --profile {profile}"


@dataclass(frozen=True, slots=True)
class Watched:
    """What is known of one profile now: its slices (from disk, then live), its key's last
    characters, and why its last refresh failed."""

    profile: str
    state: AccountState = field(default_factory=AccountState)
    key_tail: str | None = None
    #: When the last refresh that brought the month ended well.
    fetched_at: datetime | None = None
    error: str | None = None
    error_at: datetime | None = None
    #: Venice refused the key (revoked, expired): a new key helps, retrying does not.
    refused: bool = False
    #: No key is stored for the profile.
    no_key: bool = False
    loading: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    #: What the server asked us to wait (a 429's reset), in seconds.
    server_wait: float = 0.0


class ProfileWatch:
    """One profile's data and its refresh; `on_change` is called with every new `Watched`."""

    def __init__(
        self,
        account: WatchedAccount,
        clock: Clock,
        on_change: Callable[[Watched], None] = lambda watched: None,
    ) -> None:
        self.account = account
        self._clock = clock
        self._on_change = on_change
        self.watched = Watched(account.profile)
        self._client: VeniceClient | None = None
        self._fetcher: AccountFetcher | None = None
        self._key_stale = False

    @property
    def profile(self) -> str:
        return self.account.profile

    def _set(self, watched: Watched) -> None:
        self.watched = watched
        self._on_change(watched)

    def read_disk(self) -> AccountState | None:
        """The last good data of the account this profile showed last (blocking: a thread or
        the first frame); None when there is none."""
        files = self.account.last_shown()
        if files is None or not files.on_disk:
            return None
        state, _notices = SnapshotCache(files).load_account()
        return state if state != AccountState() else None

    def show_disk(self, state: AccountState | None) -> None:
        if state is None or self.watched.state != AccountState():
            return  # something fresher came meanwhile
        self._set(replace(self.watched, state=state, fetched_at=state.month.fetched_at))

    def take_over(self, state: AccountState, key_tail: str | None) -> None:
        """What the dashboard held of this profile while it was on screen; its key is looked
        up again at the next refresh (a login on screen may have changed it)."""
        self._key_stale = True
        if state != AccountState():
            self._set(
                replace(
                    self.watched,
                    state=state,
                    key_tail=key_tail or self.watched.key_tail,
                    fetched_at=state.month.fetched_at,
                    error=None,
                    error_at=None,
                    refused=False,
                )
            )

    async def refresh(self) -> Outcome:
        """Ask Venice once for this profile's row; never raises a `VeniceError`."""
        loading = replace(self.watched, loading=True)
        if self.watched.fetched_at is None:
            self._set(loading)  # a row with nothing yet says it is being fetched
        else:
            self.watched = loading  # a row with data is redrawn once, when the answer is in
        try:
            fetcher = await self._connect()
        except VeniceError as exc:
            return self._failed(exc)
        if fetcher is None:
            self._set(
                replace(
                    self.watched,
                    loading=False,
                    no_key=True,
                    error=NO_KEY.format(profile=self.profile),
                )
            )
            return Outcome(False)
        try:
            month = await fetcher.month()
        except VeniceError as exc:
            refused = isinstance(exc, AuthError | PaymentRequiredError)
            if refused:  # its limits still answer an INFERENCE key: the row says which
                state = await pull_all(_Rest(fetcher, None, exc), self.watched.state, *self._src())
                self._set(replace(self.watched, state=state))
            return self._failed(exc)
        rest = _Rest(fetcher, month, None)
        state = await pull_all(rest, self.watched.state, *self._src())
        self._set(
            replace(
                self.watched,
                state=state,
                fetched_at=state.month.fetched_at,
                error=None,
                error_at=None,
                refused=False,
                no_key=False,
                loading=False,
            )
        )
        return Outcome(True)

    def _src(self) -> tuple[Clock, Source]:
        return self._clock, self.account.source

    async def _connect(self) -> AccountFetcher | None:
        """The profile's fetcher: its key looked up once (a keyring may take seconds: a thread),
        placed with its account (its own cache and archive)."""
        if self._key_stale:
            await self.close()
            self._key_stale = False
        if self._fetcher is not None:
            return self._fetcher
        found = await asyncio.to_thread(self.account.find_key)
        if found is None:
            return None
        client = self.account.client(found.key)
        files = await asyncio.to_thread(self.account.known_files, found.key)
        if files is None:
            files = (await self.account.place_async(client, found.key)).files
        self._client = client
        self._fetcher = self.account.fetchers(client, self._clock, files)
        self._set(replace(self.watched, key_tail=found.key.tail, no_key=False))
        return self._fetcher

    def failed_unexpectedly(self, reason: str) -> None:
        self._set(
            replace(
                self.watched,
                loading=False,
                error=f"refreshing failed unexpectedly ({reason})",
                error_at=self._clock(),
            )
        )

    def _failed(self, exc: VeniceError) -> Outcome:
        refused = isinstance(exc, AuthError | PaymentRequiredError)
        self._set(
            replace(
                self.watched,
                loading=False,
                error=one_line(exc.in_dashboard, 160),
                error_at=self._clock(),
                refused=refused,
            )
        )
        wait = exc.wait if isinstance(exc, RateLimitedError) and exc.wait else 0.0
        return Outcome(False, wait)

    async def close(self) -> None:
        """Its client closed; the key is looked up again at the next refresh (it may have been
        changed meanwhile, e.g. by a login while the profile was on screen)."""
        client, self._client, self._fetcher = self._client, None, None
        if client is not None:
            await client.aclose()


class _Rest:
    """The other slices of a background refresh: the month already asked for, no usage of a
    period and no period before (an Accounts row shows neither)."""

    def __init__(
        self, fetcher: AccountFetcher, month: UsageAnalytics | None, failure: VeniceError | None
    ) -> None:
        self._fetcher, self._month, self._failure = fetcher, month, failure

    async def usage(self, period: Period, progress: Progress) -> UsageAnalytics:
        raise NotImplementedError  # never asked: pull_all does not fetch usage

    async def month(self) -> UsageAnalytics | None:
        if self._failure is not None:
            raise self._failure
        return self._month

    async def recent(self) -> UsageAnalytics | None:
        return None if self._failure is not None else await self._fetcher.recent()

    async def previous(self, period: Period, progress: Progress) -> PeriodTotals | None:
        return None

    async def balance(self) -> Balance | None:
        return None if self._failure is not None else await self._fetcher.balance()

    async def api_keys(self) -> tuple[ApiKeyInfo, ...] | None:
        return None if self._failure is not None else await self._fetcher.api_keys()

    async def rate_limits(self) -> RateLimits | None:
        return await self._fetcher.rate_limits()
