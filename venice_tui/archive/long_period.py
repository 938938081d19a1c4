"""A period longer than one request: its month-aligned chunks, each answered from the archive
when the archive holds it settled (fetched after Venice stopped revising it), otherwise
fetched, one at a time, and kept; then stitched into one answer.

The caller does the fetching (the dashboard asynchronously, commands blocking):

    work = LongPeriod(archive, period, today)
    for chunk in work.missing():              # what the archive cannot answer, in order
        analytics, body = fetch(chunk)
        work.keep(chunk, analytics, body, now)
    analytics = work.result()
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime

from venice_tui.api.decoder import decode_usage
from venice_tui.api.errors import VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.api.stitch import stitch
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError
from venice_tui.archive.usage import is_settled


class LongPeriod:
    def __init__(self, archive: Archive | None, period: Period, today: date) -> None:
        self.archive, self.period = archive, period
        self.chunks = period.chunks(today)
        self._answers: dict[Period, UsageAnalytics] = {}
        self._archived: set[Period] = set()
        for chunk in self.chunks:
            stored = self._stored(chunk)
            if stored is not None:
                self._answers[chunk] = stored
                self._archived.add(chunk)

    def _stored(self, chunk: Period) -> UsageAnalytics | None:
        if self.archive is None:
            return None
        try:
            found = self.archive.load_chunk(chunk)
            if found is None:
                return None
            body, fetched_at = found
            assert chunk.end is not None
            if not is_settled(chunk.end, fetched_at):
                return None  # Venice may still revise these days: ask again
            return decode_usage(body, chunk, fetched_at.date())
        except (ArchiveError, VeniceError):  # unreadable: fetch it again
            return None

    def missing(self) -> list[Period]:
        return [c for c in self.chunks if c not in self._answers]

    def keep(self, chunk: Period, analytics: UsageAnalytics, body: bytes, now: datetime) -> None:
        self._answers[chunk] = analytics
        if self.archive is not None:
            with contextlib.suppress(ArchiveError):  # a full disk costs requests, not data
                self.archive.save_chunk(chunk, body, now)
                self.archive.fold(analytics, now)

    @property
    def archived_days(self) -> int:
        return sum(c.day_count for c in self._archived)

    def result(self) -> UsageAnalytics:
        missing = self.missing()
        if missing:
            raise ValueError(f"{len(missing)} chunks were not fetched")
        return stitch(self.period, [self._answers[c] for c in self.chunks], self.archived_days)


def describe_progress(done: int, total: int, chunk: Period | None) -> str:
    """`fetching month 3 of 12 (2026-01)…` for the status line and stderr."""
    if chunk is None or chunk.start is None:
        return f"fetched {done} of {total} months"
    return f"fetching month {done + 1} of {total} ({chunk.start:%Y-%m})…"


def archive_fold(archive: Archive | None, analytics: UsageAnalytics, fetched_at: datetime) -> None:
    """Fold a usage answer into the archive if there is one; its failure costs nothing now."""
    if archive is not None:
        with contextlib.suppress(ArchiveError):
            archive.fold(analytics, fetched_at)
