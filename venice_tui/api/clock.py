"""The wall clock, UTC. `VENICE_TUI_NOW` (an ISO date-time) fixes it, so that end-to-end tests
and screenshots see the same day as the demo server they talk to. Light on imports on purpose:
`statusline` reads it."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def utc_now() -> datetime:
    fixed = os.environ.get("VENICE_TUI_NOW")
    if fixed:
        try:
            moment = datetime.fromisoformat(fixed)
        except ValueError:
            pass
        else:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def iso_utc(moment: datetime, timespec: str = "auto") -> str:
    """`2026-11-25T15:30:00Z`: ISO 8601 in UTC, with `Z` as Venice writes it."""
    return moment.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")
