"""One walk of the ledger into the archive, incremental and resumable.

A walk starts from the last row stored (or `since`, or 30 days back the first time), asks page
after page, and stores each page with its cursor in one transaction: killed half-way, the next
walk goes on from that cursor. Venice refusing a cursor (it expired) restarts the walk from the
last row stored. Rows come in ascending time and are stored once, so overlaps cost nothing.

The caller makes the requests (a command blocking, the dashboard from a thread):

    walk = LedgerWalk(archive, now)
    while (call := walk.next_call()) is not None:
        walk.take(client.ledger(call))          # or walk.cursor_refused() after a 400
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from venice_tui.api.calls import Call
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger import COVERED_FROM, COVERED_TO, CURSOR, WALK_FROM

if TYPE_CHECKING:
    from venice_tui.api.ledger import LedgerEntry, LedgerPage

#: The first walk of an archive goes this far back (`sync --since` goes further).
FIRST_SYNC = timedelta(days=30)
#: When the current walk began (ms): the server fixes its end there.
WALK_STARTED = "walk_started"
#: Restarts after refused cursors before a walk gives up (something else is wrong).
MAX_RESTARTS = 3
#: Pages in a row that bring no new row and do not move on, yet send a cursor, before a walk
#: stops: Venice is going round in circles.
MAX_IDLE_PAGES = 3
#: A row stamped later than this after the walk began is not stored (a clock gone wrong, or
#: a hostile server): it would be where every later walk starts.
FUTURE_SLACK = timedelta(days=1)


class LedgerWalkError(Exception):
    """The walk cannot go on (Venice keeps refusing fresh cursors)."""


class LedgerWalk:
    def __init__(
        self,
        archive: Archive,
        now: datetime,
        since: datetime | None = None,
        as_csv: bool = False,
    ) -> None:
        self.archive, self.as_csv = archive, as_csv
        #: Rows stamped after this (ms) are left out.
        self.horizon = _ms(now + FUTURE_SLACK)
        state = archive.ledger_state()
        self.cursor = state.get(CURSOR) if since is None else None
        self.resumed = self.cursor is not None
        if self.cursor is not None:
            self.cover_from = int(state.get(WALK_FROM, "0"))
            self.started = int(state.get(WALK_STARTED, str(_ms(now))))
        else:
            self.cover_from = self._start(since, now)
            self.started = _ms(now)
        self.request_from = self.cover_from
        self._covered = (state.get(COVERED_FROM), state.get(COVERED_TO))
        self.position = self.cover_from
        self.added = self.seen = self.pages = self.restarts = 0
        #: Rows left out for being dated beyond `horizon`, and the first such stamp (ms).
        self.future = 0
        self.future_first: int | None = None
        self._cursors: set[str] = set()
        self._idle = 0
        self.done = False

    def _start(self, since: datetime | None, now: datetime) -> int:
        if since is not None:
            return _ms(since)
        last = self.archive.ledger_last_ts(self.horizon)
        # From the last row itself: rows of the same millisecond not stored yet come too.
        return last if last is not None else _ms(now - FIRST_SYNC)

    @property
    def on_cursor(self) -> bool:
        """The next request sends a cursor (a 400 then means it expired)."""
        return self.cursor is not None

    def next_call(self) -> Call | None:
        # The ledger's decoder module is imported by the first walk, not at every start-up.
        from venice_tui.api.ledger import history_call

        if self.done:
            return None
        if self.cursor is not None:
            return history_call(cursor=self.cursor, as_csv=self.as_csv)
        start = datetime.fromtimestamp(self.request_from / 1000, UTC)
        return history_call(start=start, as_csv=self.as_csv)

    def take(self, page: LedgerPage) -> int:
        """Store a page and where the walk stands; the rows that were new.

        Raises `LedgerWalkError` (after storing the page's rows) when the walk makes no
        progress: the next walk then starts again from the last row stored.
        """
        entries = self._in_time(page.entries)
        repeated = page.next_cursor is not None and (
            page.next_cursor == self.cursor or page.next_cursor in self._cursors
        )
        state: dict[str, str | None] = {
            CURSOR: page.next_cursor,
            WALK_FROM: str(self.cover_from),
            WALK_STARTED: str(self.started),
        }
        if page.next_cursor is None:
            state.update(self._covered_after())
        if page.next_cursor is None or repeated:
            state.update({CURSOR: None, WALK_FROM: None, WALK_STARTED: None})
        added = self.archive.store_ledger_page(entries, state)
        self.added += added
        self.seen += len(page.entries)
        self.pages += 1
        moved = bool(entries) and entries[-1].ts > self.position
        if entries:
            self.position = max(self.position, entries[-1].ts)
        self._idle = 0 if added or moved or page.next_cursor is None else self._idle + 1
        if repeated:
            self.done = True
            raise LedgerWalkError(
                "Venice sent a ledger cursor it had sent before, so the walk would go round "
                "in circles; it stopped (the next sync starts again from the last row stored)"
            )
        if self._idle >= MAX_IDLE_PAGES:
            self.done = True
            self.archive.store_ledger_page((), {CURSOR: None, WALK_FROM: None, WALK_STARTED: None})
            raise LedgerWalkError(
                f"Venice sent {self._idle} ledger pages in a row that brought nothing new yet "
                "promised more; the walk stopped (the next sync starts again from the last row "
                "stored)"
            )
        if self.cursor is not None:
            self._cursors.add(self.cursor)
        self.cursor = page.next_cursor
        self.done = page.next_cursor is None
        return added

    def _in_time(self, entries: tuple[LedgerEntry, ...]) -> tuple[LedgerEntry, ...]:
        """The rows not stamped beyond the horizon; the others are counted, not stored."""
        late = [e.ts for e in entries if e.ts > self.horizon]
        if not late:
            return entries
        self.future += len(late)
        first = min(late) if self.future_first is None else min(self.future_first, *late)
        self.future_first = first
        return tuple(e for e in entries if e.ts <= self.horizon)

    @property
    def notice(self) -> str | None:
        """One line about rows left out, when there were any."""
        if not self.future or self.future_first is None:
            return None
        from venice_tui.api.clock import iso_utc

        when = iso_utc(_moment(self.future_first))
        rows = "row" if self.future == 1 else "rows"
        return (
            f"left out {self.future:,} ledger {rows} dated more than a day ahead "
            f"(the first stamped {when}): not stored"
        )

    def _covered_after(self) -> dict[str, str | None]:
        """The whole range the walks have covered, when this one joins the one before."""
        old_from, old_to = self._covered
        start, end = self.cover_from, self.started
        if old_from is not None and old_to is not None and int(old_to) >= self.cover_from:
            start = min(start, int(old_from))
            end = max(end, int(old_to))
        return {COVERED_FROM: str(start), COVERED_TO: str(end)}

    def cursor_refused(self) -> None:
        """Venice refused the cursor (it expired): go on from the last row stored."""
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise LedgerWalkError(
                f"Venice refused the ledger's cursor {self.restarts} times in a row; "
                "try again later"
            )
        self.cursor = None
        self._cursors.clear()  # a new walk: its cursors may be the old ones again
        self._idle = 0
        last = self.archive.ledger_last_ts(self.horizon)
        self.request_from = max(self.cover_from, last) if last is not None else self.cover_from

    @property
    def fraction(self) -> float:
        """How far the walk is, by time (0 to 1)."""
        span = self.started - self.cover_from
        if span <= 0:
            return 1.0 if self.done else 0.0
        return 1.0 if self.done else max(0.0, min(1.0, (self.position - self.cover_from) / span))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(ms: int) -> datetime:
    """A stamp in ms as a datetime; one beyond what datetime holds is shown as its last."""
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=UTC)
