"""Whose data the app shows: finding the key, the login screen, profile switches, a refused key.

The part of `VeniceApp` that deals with accounts, kept apart so each file stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.reactive import reactive

from venice_tui.api.errors import VeniceError
from venice_tui.api.secret import ApiKey
from venice_tui.archive.archive import Archive
from venice_tui.core.account_state import AccountState
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.snapshot_cache import CacheLoad
from venice_tui.core.store import Source, StoreStatus, UsageStore

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient
    from venice_tui.api.models import UsageAnalytics
    from venice_tui.api.period import Period
    from venice_tui.core.connection import Connection
    from venice_tui.ui.screens.login import LoginResult


def account_label(profile: str, key: ApiKey) -> str:
    return f"profile {profile} {GLYPHS.dot} key {GLYPHS.mask}{key.tail}"


class AccountMixin(App[int]):
    #: Whose data this is, e.g. `profile work · key ••••6789` or `demo data`.
    owner: reactive[str] = reactive("")

    store: UsageStore
    connection: Connection | None
    #: Whether the login screen is up (then nothing is fetched with the refused key).
    login_open = False
    #: The person went back from a login offered for a refused key: do not offer it again
    #: until the key works once more (the palette still has "Log in with another key").
    _login_declined = False
    _client: VeniceClient | None = None

    def start_refresh(self) -> None:
        raise NotImplementedError

    def arm_next_refresh(self) -> None:
        raise NotImplementedError

    def reload_budgets(self) -> None:
        raise NotImplementedError

    archive: Archive | None = None

    def start_ledger(self, archive: Archive | None, default_on: bool) -> None:
        raise NotImplementedError

    @work(thread=True, group="cache", exit_on_error=False)
    def load_cached(self, connection: Connection, period: Period | None) -> None:
        """Show the last good data from disk at once, while the live fetch runs: the usage of
        `period` (None: it is on screen already) and the balance, key list and key limits."""
        cache = connection.cache()
        loaded = cache.load(period) if period is not None else None
        account, notices = cache.load_account()
        self.call_from_thread(self._show_cached, loaded, account, notices)

    def _show_cached(
        self, loaded: CacheLoad | None, account: AccountState, notices: list[str]
    ) -> None:
        for notice in [*notices, *([loaded.notice] if loaded and loaded.notice else [])]:
            self.notify(notice, severity="warning", timeout=8, markup=False)
        if loaded is not None and loaded.snapshot is not None:
            self.store.show_cached(loaded.snapshot)
        if self.store.account == AccountState():  # nothing fresher came meanwhile
            self.store.show_account(account)

    @work(thread=True, exclusive=True, group="credentials", exit_on_error=False)
    def find_key(self, connection: Connection) -> None:
        """Off the main thread: a keyring may take seconds to answer (or never)."""
        try:
            found = connection.find_key()
        except VeniceError as exc:  # e.g. VENICE_API_KEY holds something that is not a key
            self.call_from_thread(self.ask_for_key, connection, str(exc))
            return
        if found is None:
            self.call_from_thread(self.ask_for_key, connection, None)
            return
        client = connection.client(found.key)
        self.call_from_thread(self.connect, connection, client, found.key, None)
        if found.warning:
            self.call_from_thread(
                self.notify, found.warning, severity="warning", timeout=12, markup=False
            )

    def ask_for_key(self, connection: Connection, reason: str | None) -> None:
        """Open the login screen (once), saying why when there is a reason."""
        if self.login_open:
            return
        self.login_open = True
        self._open_login(connection, reason)

    @work(thread=True, group="credentials", exit_on_error=False)
    def _open_login(self, connection: Connection, reason: str | None) -> None:
        status = connection.keyring_status()  # a probe may take seconds: not on the event loop
        self.call_from_thread(self._push_login, connection, status, reason)

    def _push_login(self, connection: Connection, status: object, reason: str | None) -> None:
        from venice_tui.core.keyring_store import KeyringStatus
        from venice_tui.ui.screens.login import LoginScreen

        assert isinstance(status, KeyringStatus)
        first = self.store.snapshot is None
        screen = LoginScreen(
            connection,
            status,
            self.store.period,
            clock=self.store.clock,
            reason=reason,
            can_go_back=not first,
        )
        self.push_screen(screen, self._logged_in)

    def _logged_in(self, result: LoginResult | None) -> None:
        self.login_open = False
        if result is None:  # back to the dashboard with the old data and its error
            self._login_declined = True
            self.arm_next_refresh()
            return
        self.connect(result.connection, result.client, result.key, result.first)
        self.notify(result.message, timeout=6, markup=False)

    def connect(
        self,
        connection: Connection,
        client: VeniceClient,
        key: ApiKey,
        first: UsageAnalytics | None = None,
    ) -> None:
        """Fetch with `client` for `connection`'s profile from now on: after a key was found, a
        login, or a profile switch. Another profile's data leaves the screen at once."""
        same_account = self.connection is not None and connection.profile == self.connection.profile
        self.connection = connection
        previous, self._client = self._client, client
        if previous is not None:
            self.run_worker(previous.aclose(), exit_on_error=False)
        self.owner = account_label(connection.profile, key)
        self.store.attach(
            connection.fetchers(client, self.store.clock), Source.LIVE, keep_data=same_account
        )
        if not same_account:
            self.load_cached(connection, self.store.period)
            self.reload_budgets()
        if not same_account or self.archive is None:
            self.start_ledger(connection.archive(), default_on=False)
        if first is not None:
            self.store.show(first, self.store.clock(), Source.LIVE)
        self.start_refresh()

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def switch_profile(self, profile: str) -> None:
        if self.connection is None:
            return
        self.workers.cancel_group(self, "refresh")
        self.store.forget()  # another account's numbers must not stay on screen
        self.owner = f"profile {profile}"
        self.notify(f"Switching to profile {profile}…", timeout=3, markup=False)
        self.find_key(self.connection.for_profile(profile))

    def watch_status(self, status: StoreStatus) -> None:
        """A key Venice refuses now (revoked, expired) gets the login screen, not endless retries."""
        if not status.key_refused:
            if status.error is None and not status.loading:
                self._login_declined = False
            return
        if self.connection is not None and not self.login_open and not self._login_declined:
            self.ask_for_key(self.connection, status.error)

    def action_log_in(self) -> None:
        if self.connection is not None:
            self.ask_for_key(self.connection, None)

    def profile_commands(self) -> Iterable[SystemCommand]:
        if self.connection is None:
            return
        current = self.connection.profile
        yield SystemCommand(
            "Log in with another key",
            f"Check and keep another API key for profile {current}",
            self.action_log_in,
        )
        for profile in self.connection.known_profiles():
            if profile != current:
                yield SystemCommand(
                    f"Switch profile: {profile}",
                    f"Use the key stored for profile {profile} (now: {current})",
                    partial(self.switch_profile, profile),
                )
