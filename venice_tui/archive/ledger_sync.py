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
    from venice_tui.api.ledger import LedgerPage

#: The first walk of an archive goes this far back (`sync --since` goes further).
FIRST_SYNC = timedelta(days=30)
#: When the current walk began (ms): the server fixes its end there.
WALK_STARTED = "walk_started"
#: Restarts after refused cursors before a walk gives up (something else is wrong).
MAX_RESTARTS = 3


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
        self.done = False

    def _start(self, since: datetime | None, now: datetime) -> int:
        if since is not None:
            return _ms(since)
        last = self.archive.ledger_last_ts()
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
        """Store a page and where the walk stands; the rows that were new."""
        state: dict[str, str | None] = {
            CURSOR: page.next_cursor,
            WALK_FROM: str(self.cover_from),
            WALK_STARTED: str(self.started),
        }
        if page.next_cursor is None:
            state.update(self._covered_after())
            state.update({CURSOR: None, WALK_FROM: None, WALK_STARTED: None})
        added = self.archive.store_ledger_page(page.entries, state)
        self.added += added
        self.seen += len(page.entries)
        self.pages += 1
        if page.entries:
            self.position = page.entries[-1].ts
        self.cursor = page.next_cursor
        self.done = page.next_cursor is None
        return added

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
        last = self.archive.ledger_last_ts()
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
