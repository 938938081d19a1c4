"""`venice-tui report`: fetch once (or read the cache), print, exit with a code scripts use."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_now, utc_today
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.commands import exits
from venice_tui.commands.account_json import (
    api_keys_json,
    balance_json,
    fetch_account,
    unavailable_json,
)
from venice_tui.core import report
from venice_tui.core.account_state import AccountState
from venice_tui.core.budgets import Budgets
from venice_tui.core.format import describe_age
from venice_tui.core.glyphs import GLYPHS, to_ascii
from venice_tui.core.identity import AccountFiles
from venice_tui.core.known_answers import REWRITE_AFTER
from venice_tui.core.paths import write_atomically
from venice_tui.core.snapshot_cache import SnapshotCache

if TYPE_CHECKING:
    from venice_tui.archive.archive import Archive


class Account(Protocol):
    """A live `Connection` or the demo's: where data comes from, where it is kept (the files
    of the Venice account its key belongs to), and its budgets."""

    @property
    def profile(self) -> str: ...

    def sync_client(self) -> VeniceSyncClient: ...

    def files(self) -> AccountFiles | None: ...

    def files_if_known(self) -> AccountFiles | None: ...

    def place_from(self, keys: Sequence[ApiKeyInfo] | None) -> AccountFiles | None: ...

    def archive_of(self, files: AccountFiles) -> Archive: ...

    def offline_files(self) -> AccountFiles | None: ...

    def cache(self) -> SnapshotCache | None: ...

    def archive(self) -> Archive: ...

    def budgets(self) -> tuple[Budgets, list[str]]: ...


def run_report(
    account: Account, period: Period, output: str, offline: bool = False, path: str | None = None
) -> int:
    state = AccountState()
    try:
        if offline:
            data, today, state = _from_cache(account, period)
        elif output == "json":  # the balance and keys too, fetched beside the usage
            state, data = fetch_with_account(account, period)
            today = utc_today()
        else:
            data, today = fetch_usage(account, period), utc_today()
    except VeniceError as exc:
        say(str(exc))
        return exits.FAILURE
    if output == "json":
        text = report.dumps_json(
            {
                **report.as_json(data, today),
                "balance": balance_json(state.balance.value),
                "apiKeys": api_keys_json(state.keys.value),
                "unavailable": unavailable_json(state),
            }
        )
    elif output == "csv":
        text = report.render_csv(data)
    else:
        text = report.render_table(data, today)
    if path is not None:
        return write_file(Path(path), text)
    write(text)
    return exits.OK


def write_file(path: Path, text: str) -> int:
    """Replace `path` with `text` atomically (the folder must exist); one line on failure."""
    try:
        write_atomically(path, text.encode())
    except OSError as exc:
        say(f"cannot write {path} ({exc.strerror or exc})")
        return exits.FAILURE
    say(f"wrote {path}")
    return exits.OK


def fetch_usage(account: Account, period: Period) -> UsageAnalytics:
    """One request (a long period: one per month the archive does not hold); a new answer is
    kept on disk (live accounts) for `--offline` and the TUI, and folded into the archive."""
    cache = account.cache()
    with account.sync_client() as client:
        return _fetch_and_keep(client, account, cache, period)


#: The account's slices the JSON report holds (the key's limits are not in it: not asked).
REPORTED = ("balance", "api-keys")


def fetch_with_account(account: Account, period: Period) -> tuple[AccountState, UsageAnalytics]:
    """The usage and the account's slices the report holds, side by side; only the usage is
    required. The key's account is placed first (a key not seen before: one request for its key
    list), so every answer, and the months of a long period, are kept with that account."""
    cache = account.cache()
    with account.sync_client() as client:
        state, fetched = fetch_account(
            client, cache, lambda: _fetch_and_keep(client, account, cache, period), REPORTED
        )
    assert fetched is not None
    return state, fetched


def _fetch_and_keep(
    client: VeniceSyncClient, account: Account, cache: SnapshotCache | None, period: Period
) -> UsageAnalytics:
    """The period's usage, folded into the archive and kept on disk, unless it is the very body
    kept on disk already: then it was folded when it was kept (today: a new day folds again, as
    the days now over are settled), and the copy is renewed only once it is old."""
    if period.is_long or cache is None:
        analytics, body = fetch_period(client, account.archive(), period)
        keep_body(cache, period, body)
        return analytics
    analytics, body = client.fetch_with_body(period)
    now = utc_now()
    kept_at = cache.kept_at(period.slug, body)
    if kept_at is None or kept_at.date() != now.date():
        from venice_tui.archive.long_period import archive_fold

        archive_fold(account.archive(), analytics, now)
    if kept_at is None or now - kept_at >= REWRITE_AFTER:
        keep_body(cache, period, body)
    return analytics


def known_archive(account: Account, files: AccountFiles | None) -> Archive:
    """The archive of the key's account when it is known; one in memory until then."""
    from venice_tui.archive.archive import Archive

    return account.archive_of(files) if files is not None else Archive.in_memory()


def fetch_period(
    client: VeniceSyncClient, archive: Archive, period: Period
) -> tuple[UsageAnalytics, bytes | None]:
    """The period's answer and its body (None for a long period, stitched from chunks)."""
    from venice_tui.archive.long_period import LongPeriod, archive_fold, describe_progress

    if not period.is_long:
        analytics, body = client.fetch_with_body(period)
        archive_fold(archive, analytics, utc_now())
        return analytics, body
    work = LongPeriod(archive, period, utc_today())
    missing = work.missing()
    progress = _Progress()
    for done, chunk in enumerate(missing):
        progress.show(describe_progress(done, len(missing), chunk))
        analytics, body = client.fetch_with_body(chunk)
        work.keep(chunk, analytics, body, utc_now())
    progress.show(None)
    result = work.result()
    if work.archived_days:
        say(f"{work.archived_days} of {len(result.daily)} days from the archive")
    return result, None


class _Progress:
    """A line on stderr that rewrites itself, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def show(self, text: str | None) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[2K" + (f"venice-tui: {text}" if text else ""))
            sys.stderr.flush()


def keep_body(cache: SnapshotCache | None, period: Period, body: bytes | None) -> None:
    if cache is not None and body is not None:
        try:
            cache.save(period, body, utc_now())
        except OSError as exc:  # a full disk must not turn good data into an error
            say(f"warning: could not keep the data on disk ({exc.strerror})")


def _from_cache(account: Account, period: Period) -> tuple[UsageAnalytics, date, AccountState]:
    files = account.offline_files()
    cache = SnapshotCache(files) if files is not None else None
    loaded = cache.load(period) if cache is not None else None
    if loaded is not None and loaded.notice:
        say(loaded.notice)
    if cache is None or loaded is None or loaded.snapshot is None:
        raise _NoCacheError(
            f"no cached data for {period.label} (profile {account.profile}); "
            "run `venice-tui report` once while online, or open the dashboard"
        )
    fetched_at = loaded.snapshot.fetched_at
    age = (utc_now() - fetched_at).total_seconds()
    say(f"offline: cached data fetched {fetched_at:%Y-%m-%d %H:%M} UTC ({describe_age(age)})")
    state, _ = cache.load_account()
    return loaded.snapshot.analytics, fetched_at.date(), state


class _NoCacheError(VeniceError):
    kind = "offline"


def say(message: str) -> None:
    print(f"venice-tui: {message}", file=sys.stderr)


def write(text: str) -> None:
    """Print for a terminal (ASCII where it cannot show Unicode) or a pipe that may close."""
    if GLYPHS.ascii:
        text = to_ascii(text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `venice-tui report | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
