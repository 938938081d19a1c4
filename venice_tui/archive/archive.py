"""The local archive of one profile and server: one SQLite file in the user data folder.

One connection, used by one thread at a time (the lock); the dashboard calls it from worker
threads, commands call it directly. Every failure is an `ArchiveError`: the archive saves
requests and remembers history, but the tool works without it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.archive import ledger, usage
from venice_tui.archive.db import (
    MEMORY,
    ArchiveError,
    QueryStopped,
    connect,
    connect_reader,
    describe_failure,
)

if TYPE_CHECKING:
    from venice_tui.api.ledger import LedgerEntry

T = TypeVar("T")

#: SQLite steps between two looks at whether a read is still wanted (a few microseconds).
CHECK_EVERY = 2000


class Archive:
    def __init__(self, path: Path | str) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._texts = ledger.TextIds()
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()

    @classmethod
    def in_memory(cls) -> Archive:
        """For the demo: the same behaviour, nothing on disk."""
        return cls(MEMORY)

    @property
    def on_disk(self) -> bool:
        return str(self.path) != MEMORY

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._db is None:
                    self._db = connect(self.path)
                yield self._db
            except (sqlite3.Error, OSError) as exc:
                raise ArchiveError(describe_failure(exc, self.path)) from None

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self.connection() as db:
            return work(db)

    def read(self, work: Callable[[sqlite3.Connection], T], wanted: Callable[[], bool]) -> T:
        """A read for a screen, stopped (`QueryStopped`) as soon as `wanted` says its answer is
        no longer wanted. On disk it has a connection of its own: it never waits for a sync's
        write, and stopping it can never stop a write."""
        if not self.on_disk:
            with self.connection() as db:
                return _stoppable(db, work, wanted)
        with self._read_lock:
            try:
                if self._reader is None:
                    self.run(lambda db: None)  # migrated by the first connection
                    self._reader = connect_reader(self.path)
                return _stoppable(self._reader, work, wanted)
            except (sqlite3.Error, OSError) as exc:
                raise ArchiveError(describe_failure(exc, self.path)) from None

    def fold(self, analytics: UsageAnalytics, fetched_at: datetime) -> int:
        return self.run(lambda db: usage.fold(db, analytics, fetched_at))

    def days(self, first: date, last: date) -> dict[date, usage.ArchivedDay]:
        return self.run(lambda db: usage.days(db, first, last))

    def save_chunk(self, chunk: Period, body: bytes, fetched_at: datetime) -> None:
        self.run(lambda db: usage.save_chunk(db, chunk, body, fetched_at))

    def load_chunk(self, chunk: Period) -> tuple[bytes, datetime] | None:
        return self.run(lambda db: usage.load_chunk(db, chunk))

    def ledger_state(self) -> dict[str, str]:
        return self.run(ledger.get_state)

    def store_ledger_page(
        self, entries: Iterable[LedgerEntry], state: dict[str, str | None]
    ) -> int:
        return self.run(lambda db: ledger.store_page(db, self._texts, entries, state))

    def ledger_last_ts(self, before: int | None = None) -> int | None:
        """The stamp of the last row stored (ms), ignoring rows stamped after `before`."""
        return self.run(lambda db: ledger.last_ts(db, before))

    def ledger_count(self) -> int:
        return self.run(ledger.row_count)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None


def _stoppable(
    db: sqlite3.Connection, work: Callable[[sqlite3.Connection], T], wanted: Callable[[], bool]
) -> T:
    """`work`, with SQLite asking `wanted` every few thousand steps (from the thread that runs
    it: no race with a statement starting or ending, as `interrupt()` from another thread has)."""
    db.set_progress_handler(lambda: 0 if wanted() else 1, CHECK_EVERY)
    try:
        if not wanted():
            raise QueryStopped
        return work(db)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT:
            raise QueryStopped from None
        raise
    finally:
        db.set_progress_handler(None, 0)
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
