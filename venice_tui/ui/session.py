"""The account session of the dashboard: whose data it shows and with which key. Finding the key
(or asking for it on the login screen), placing it with its Venice account (`core.identity`:
that account's files, never another's), switching profiles, a key Venice refuses mid-session.

A component the app holds (as dolphie holds its managers): its work runs as the app's workers,
and each account it opens reaches the app through one callback, `on_open`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App, SystemCommand

from venice_tui.core.account_state import AccountState
from venice_tui.core.domain import ApiKey, VeniceError
from venice_tui.core.glyphs import GLYPHS
from venice_tui.core.identity import AccountFiles
from venice_tui.core.keyring_store import KeyringStatus
from venice_tui.core.marks import mark
from venice_tui.core.snapshot_cache import CacheLoad, SnapshotCache
from venice_tui.core.store import Source, UsageStore
from venice_tui.core.watched_account import WatchedAccount

if TYPE_CHECKING:
    from venice_tui.core.connection import Storage
    from venice_tui.core.domain import Period, UsageAnalytics, VeniceClient
    from venice_tui.core.fetching import AccountFetcher
    from venice_tui.core.local_archive import Archive
    from venice_tui.ui.screens.login import LoginResult


class Account(WatchedAccount, Protocol):
    """A live `Connection` or the demo's, as the dashboard uses it (what the fleet watches of a
    profile, and more); `cli` picks one."""

    @property
    def label(self) -> str: ...

    #: Whether its ledger is kept in sync unless config.toml says otherwise.
    @property
    def ledger_by_default(self) -> bool: ...

    #: Whether its key is looked up, asked for and can be changed (the demo's cannot).
    @property
    def takes_keys(self) -> bool: ...

    def archive_of(self, files: AccountFiles) -> Archive: ...

    def known_profiles(self) -> list[str]: ...

    #: The profiles the Accounts screen shows (each with a stored key; the demo's three).
    def fleet(self) -> list[str]: ...

    def for_profile(self, profile: str) -> Account: ...

    def keyring_status(self) -> KeyringStatus: ...

    def store_key(self, key: ApiKey, storage: Storage, keyring_backend: str = "") -> str: ...


@dataclass(frozen=True)
class Opened:
    """An account once its key is placed: the client in use, its files and its archive."""

    account: Account
    client: VeniceClient | None
    #: None while the key's account cannot be told (its key list did not come): then nothing
    #: is read from or kept on disk, and the session tries again after a good refresh.
    files: AccountFiles | None
    archive: Archive | None
    owner: str
    key: ApiKey | None = None


def account_label(profile: str, key: ApiKey) -> str:
    return f"profile {profile} {GLYPHS.dot} key {GLYPHS.mask}{key.tail}"


class AccountSession:
    def __init__(
        self,
        app: App[int],
        account: Account,
        store: UsageStore,
        on_open: Callable[[Opened, bool, bool], None],
        on_owner: Callable[[str], None],
        on_declined: Callable[[], None],
    ) -> None:
        self._app = app
        self.account = account
        self._store = store
        self._on_open = on_open
        self._on_owner = on_owner
        self._on_declined = on_declined
        self.opened: Opened | None = None
        #: The fetcher in use: a new key's first refresh brings the key list that places it.
        self._fetcher: AccountFetcher | None = None
        #: The account whose data is on screen (from disk, before the key is found).
        self.shown: AccountFiles | None = None
        #: Whether the login screen is up (then nothing is fetched with the refused key).
        self.login_open = False
        #: Told the profile about to take the screen, before its data is dropped.
        self.on_switching: Callable[[str], None] = lambda profile: None
        #: The person went back from a login offered for a refused key: do not offer it again
        #: until the key works once more (the palette still has "Log in with another key").
        self._login_declined = False

    @property
    def client(self) -> VeniceClient | None:
        return self.opened.client if self.opened is not None else None

    def _thread(self, work: Callable[[], object], group: str, exclusive: bool = False) -> None:
        self._app.run_worker(
            work, thread=True, group=group, exclusive=exclusive, exit_on_error=False
        )

    def adopt(self, opened: Opened) -> None:
        """An account already open when the app starts (the demo: no key to look up)."""
        self.opened, self.shown = opened, opened.files
        self._on_owner(opened.owner)
        self._on_open(opened, False, True)

    def show_from_disk(self, period: Period) -> str | None:
        """The last good data of the account this profile showed last, into the very first
        frame (a few ms for a 30-day file); a notice when a file was unusable."""
        files = self.account.last_shown()
        if files is None:
            return None
        self.shown = files
        loaded = SnapshotCache(files).load(period)
        if loaded.snapshot is not None:
            self._store.show_cached(loaded.snapshot)
        return loaded.notice

    def show_account_from_disk(self) -> None:
        """The balance, key list and month so far of the account on screen from disk, at once
        (the Accounts screen's first paint has its row whole); a thread brings them otherwise."""
        files = self.shown
        if files is None or not files.on_disk or self._store.account != AccountState():
            return
        state, _notices = SnapshotCache(files).load_account()  # said when the thread reads them
        self._store.show_account(state)

    def start(self) -> None:
        """After the first paint: finding the key imports httpx on a thread, and that would
        compete with the first paint for the interpreter (the usage on disk is already in)."""
        if self.opened is not None:
            return
        self.find_key(self.account)
        if self.shown is not None:
            self.load_cached(self.shown, None)

    def load_cached(self, files: AccountFiles, period: Period | None) -> None:
        """Show the last good data from disk at once, while the live fetch runs: the usage of
        `period` (None: it is on screen already) and the balance, key list and key limits."""

        if not files.on_disk:
            return

        def read() -> None:
            cache = SnapshotCache(files)
            loaded = cache.load(period) if period is not None else None
            state, notices = cache.load_account()
            self._app.call_from_thread(self._show_cached, files, loaded, state, notices)

        self._thread(read, "cache")

    def _show_cached(
        self, files: AccountFiles, loaded: CacheLoad | None, state: AccountState, notices: list[str]
    ) -> None:
        if files != self.shown:
            return  # another account took the screen meanwhile
        for notice in [*notices, *([loaded.notice] if loaded and loaded.notice else [])]:
            self._app.notify(notice, severity="warning", timeout=8, markup=False)
        if loaded is not None and loaded.snapshot is not None:
            self._store.show_cached(loaded.snapshot)
        if self._store.account == AccountState():  # nothing fresher came meanwhile
            self._store.show_account(state)

    def find_key(self, account: Account) -> None:
        """Off the main thread: a keyring may take seconds to answer (or never)."""

        def find() -> None:
            try:
                found = account.find_key()
            except VeniceError as exc:  # e.g. VENICE_API_KEY holds something that is not a key
                self._app.call_from_thread(self.ask_for_key, account, str(exc))
                return
            if found is None:
                self._app.call_from_thread(self.ask_for_key, account, None)
                return
            client = account.client(found.key)
            mark("key found, client made")
            self._app.call_from_thread(self.connect, account, client, found.key, None)
            if found.warning:
                self._app.call_from_thread(
                    self._app.notify, found.warning, severity="warning", timeout=12, markup=False
                )

        self._thread(find, "credentials", exclusive=True)

    def ask_for_key(self, account: Account, reason: str | None) -> None:
        """Open the login screen (once), saying why when there is a reason."""
        if self.login_open:
            return
        self.login_open = True

        def probe() -> None:
            status = account.keyring_status()  # may take seconds: not on the event loop
            self._app.call_from_thread(self._push_login, account, status, reason)

        self._thread(probe, "credentials")

    def _push_login(self, account: Account, status: KeyringStatus, reason: str | None) -> None:
        from venice_tui.ui.screens.login import LoginScreen

        screen = LoginScreen(
            account,
            status,
            self._store.period,
            clock=self._store.clock,
            reason=reason,
            can_go_back=self._store.snapshot is not None,
        )
        self._app.push_screen(screen, self._logged_in)

    def _logged_in(self, result: LoginResult | None) -> None:
        self.login_open = False
        if result is None:  # back to the dashboard with the old data and its error
            self._login_declined = True
            self._on_declined()
            return
        self.connect(result.account, result.client, result.key, result.first)
        self._app.notify(result.message, timeout=6, markup=False)

    def connect(
        self,
        account: Account,
        client: VeniceClient,
        key: ApiKey,
        first: UsageAnalytics | None = None,
    ) -> None:
        """Fetch with `client` from now on, for the Venice account the key belongs to: after a
        key was found, a login, or a profile switch. A key seen before is placed at once; a
        new one fetches at once with nothing read from or kept on disk, and is placed by the
        key list that refresh brings (`place`): nothing of another account ever stays on
        screen, and its first data is neither asked again nor delayed."""
        owner = account_label(account.profile, key)
        known = account.known_files(key)  # a small file: no request
        self._on_owner(owner)
        self._open(account, client, key, known, owner, first)

    def place(self) -> None:
        """After a refresh ended: a key whose account is not told yet is placed by the key
        list the refresh brought (none came: the next refresh asks for it again), and the
        answers of the refreshes so far are kept in its files."""
        opened, fetcher = self.opened, self._fetcher
        if opened is None or opened.files is not None or opened.client is None or not opened.key:
            return
        if fetcher is None or any(w.group == "placing" and w.is_running for w in self._app.workers):
            return
        listed = fetcher.key_list
        if listed is None:
            return
        account, client, key = opened.account, opened.client, opened.key

        async def place() -> None:
            try:
                placement = await account.place_async(client, key, listed)
            except VeniceError:
                return  # tried again after the next good refresh
            mark("new key placed")
            if placement.notice:
                self._app.notify(placement.notice, severity="warning", timeout=12, markup=False)
            if self.opened is opened and self._fetcher is fetcher:
                await self._settle(opened, fetcher, placement.files)

        work: Callable[[], Any] = place  # a function, not a coroutine: never left unawaited
        self._app.run_worker(work, group="placing", exclusive=True, exit_on_error=False)

    async def _settle(self, opened: Opened, fetcher: AccountFetcher, files: AccountFiles) -> None:
        """The key is placed: the same fetcher keeps fetching (no restart, nothing asked
        again) and writes what it holds to the account's files from now on."""
        archive = opened.account.archive_of(files)
        placed = self.opened = replace(opened, files=files, archive=archive)
        self.shown = files
        await fetcher.settle(SnapshotCache(files), archive)
        if self.opened is placed:  # not another account meanwhile
            self._on_open(placed, False, False)

    def _forget(self) -> None:
        self._app.workers.cancel_group(self._app, "refresh")
        self._store.forget()  # another account's numbers must not stay on screen
        self.shown = None

    def _open(
        self,
        account: Account,
        client: VeniceClient,
        key: ApiKey,
        files: AccountFiles | None,
        owner: str,
        first: UsageAnalytics | None,
    ) -> None:
        previous = self.opened
        same = previous is not None and previous.files == files and files is not None
        if previous is not None and previous.client is not None and previous.client is not client:
            self._app.run_worker(previous.client.aclose(), exit_on_error=False)
        if self.shown is not None and self.shown != files:
            self._forget()
        if same and previous is not None:
            archive = previous.archive
        else:
            archive = account.archive_of(files) if files is not None else None
        self.account = account
        self.opened = Opened(account, client, files, archive, owner, key)
        placed_now = previous is not None and previous.files is None and previous.key == key
        keep = same or placed_now or self.shown == files
        self._fetcher = account.fetchers(client, self._store.clock, files)
        self._store.attach(self._fetcher, account.source, keep)
        if files is not None and self.shown != files:
            self.shown = files
            self.load_cached(files, self._store.period)
        if first is not None:
            self._store.show(first, self._store.clock(), Source.LIVE)
        self._on_open(self.opened, same, True)

    async def close(self) -> None:
        if self.opened is not None and self.opened.client is not None:
            await self.opened.client.aclose()

    def switch_profile(self, profile: str) -> None:
        if not self.account.takes_keys and profile not in self.account.fleet():
            return
        self.on_switching(profile)
        self._forget()
        self._on_owner(f"profile {profile}")
        self._app.notify(f"Switching to profile {profile}…", timeout=3, markup=False)
        self.find_key(self.account.for_profile(profile))

    def key_refused(self, refused: bool, error: str | None, settled: bool) -> None:
        """A key Venice refuses now (revoked, expired) gets the login screen, not endless
        retries; `settled`: a refresh ended well, so a later refusal may ask again."""
        if not refused:
            if settled:
                self._login_declined = False
            return
        if not self.login_open and not self._login_declined and self.account.takes_keys:
            self.ask_for_key(self.account, error)

    def log_in(self) -> None:
        if self.account.takes_keys:
            self.ask_for_key(self.account, None)

    def commands(self) -> Iterable[SystemCommand]:
        if not self.account.takes_keys:
            return  # the demo: no key to change, no profile to switch to
        profiles = self.account.known_profiles()
        current = self.account.profile
        yield SystemCommand(
            "Log in with another key",
            f"Check and keep another API key for profile {current}",
            self.log_in,
        )
        for profile in profiles:
            if profile != current:
                yield SystemCommand(
                    f"Switch profile: {profile}",
                    f"Use the key stored for profile {profile} (now: {current})",
                    partial(self.switch_profile, profile),
                )
