"""`venice-tui sync [--since DATE] [--csv]`: the per-request ledger into the local archive, with
a progress bar on a terminal; incremental (from the last row stored), resumable (a killed sync
goes on where it stopped) and polite (a page at a time, at most `PAGES_PER_SECOND`)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime

from venice_tui.api.errors import BadRequestError, VeniceError
from venice_tui.api.period import utc_now
from venice_tui.archive.db import ArchiveError
from venice_tui.archive.ledger_sync import LedgerWalk, LedgerWalkError
from venice_tui.archive.reconcile import describe_checks, reconcile_archive
from venice_tui.commands import exits
from venice_tui.commands.report import Account, say, write
from venice_tui.core.glyphs import GLYPHS

#: Pages asked per second at most: a sync never crowds out the dashboard or other tools.
PAGES_PER_SECOND = 10.0


def run_sync(account: Account, since: date | None, as_csv: bool) -> int:
    try:
        if account.files() is None:
            say(
                "could not tell which Venice account this key belongs to (its key list did "
                "not come): nothing was synced; try again"
            )
            return exits.FAILURE
        archive = account.archive()  # the archive of the key's account
    except VeniceError as exc:
        say(str(exc))
        return exits.FAILURE
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    progress = _Bar()
    began = time.monotonic()
    try:
        walk = LedgerWalk(archive, utc_now(), start, as_csv)
    except ArchiveError as exc:
        say(str(exc))
        return exits.FAILURE
    try:
        if walk.resumed:
            say("continuing the sync that stopped before")
        with account.sync_client() as client:
            last_request = 0.0
            while (call := walk.next_call()) is not None:
                time.sleep(max(0.0, last_request + 1 / PAGES_PER_SECOND - time.monotonic()))
                last_request = time.monotonic()
                try:
                    page = client.ledger(call)
                except BadRequestError:
                    if not walk.on_cursor:
                        raise
                    progress.clear()
                    say("Venice refused the walk's cursor (expired); going on from the last row")
                    walk.cursor_refused()
                    continue
                walk.take(page)
                progress.show(walk, time.monotonic() - began)
    except KeyboardInterrupt:
        progress.clear()
        say("interrupted: run `venice-tui sync` again to go on where it stopped")
        return exits.INTERRUPTED
    except (VeniceError, LedgerWalkError) as exc:
        progress.clear()
        _notice(walk)
        say(f"{exc} (the rows so far are kept; `venice-tui sync` goes on from there)")
        return exits.FAILURE
    except ArchiveError as exc:
        progress.clear()
        say(str(exc))
        return exits.FAILURE
    progress.clear()
    _notice(walk)
    elapsed = time.monotonic() - began
    total = archive.ledger_count()
    rate = walk.seen / elapsed if elapsed > 0 else 0.0
    write(
        f"synced {walk.added:,} new ledger rows ({walk.seen:,} received, {total:,} in the "
        f"archive) in {elapsed:.1f} s, {rate:,.0f} rows/s\n"
    )
    checks = reconcile_archive(archive, utc_now().date())
    if checks:
        write(describe_checks(checks) + "\n")
    return exits.OK


def _notice(walk: LedgerWalk) -> None:
    if walk.notice:
        say(walk.notice)


class _Bar:
    """One line on stderr that redraws itself, only on a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def show(self, walk: LedgerWalk, elapsed: float) -> None:
        if not self.live:
            return
        width = 24
        filled = round(walk.fraction * width)
        bar = GLYPHS.bar_full * filled + GLYPHS.bar_empty * (width - filled)
        at = datetime.fromtimestamp(walk.position / 1000, UTC)
        rate = walk.seen / elapsed if elapsed > 0 else 0.0
        sys.stderr.write(
            f"\r\x1b[2Ksyncing the ledger {bar} {walk.fraction:4.0%} {GLYPHS.dot} "
            f"{at:%Y-%m-%d %H:%M} UTC {GLYPHS.dot} {walk.seen:,} rows {GLYPHS.dot} {rate:,.0f}/s"
        )
        sys.stderr.flush()

    def clear(self) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
