"""The last good data on disk: one file per profile, base URL and period, never holding the key.

A file is a one-line JSON header (what it is, for whom, when) followed by Venice's body exactly
as received, so loading runs the same tolerant decoder as a live fetch. Files are 0600 in a 0700
folder and replaced atomically. A corrupt or foreign file is set aside, never trusted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from venice_tui.api.decoder import decode_usage
from venice_tui.api.endpoint import MAX_BODY_BYTES
from venice_tui.api.errors import BadResponseError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.core.paths import cache_dir, display_path, read_small_file, write_private_file

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient

FORMAT = "venice-tui-snapshot/1"
#: Venice's largest accepted body plus the header line.
MAX_CACHE_BYTES = MAX_BODY_BYTES + 64 * 1024


@dataclass(frozen=True, slots=True)
class CachedSnapshot:
    analytics: UsageAnalytics
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class CacheLoad:
    snapshot: CachedSnapshot | None = None
    #: Set when a file was unusable and has been moved aside; a person should hear about it.
    notice: str | None = None


class SnapshotCache:
    def __init__(self, profile: str, base_url: str, folder: Path | None = None) -> None:
        self.profile = profile
        self.base_url = base_url
        self.folder = folder or cache_dir() / "snapshots"

    def path_for(self, period: Period) -> Path:
        digest = hashlib.sha256(f"{self.profile}\n{self.base_url}".encode()).hexdigest()[:16]
        return self.folder / f"{digest}-{period.slug}.snapshot"

    def save(self, period: Period, body: bytes, fetched_at: datetime) -> Path:
        header = {
            "format": FORMAT,
            "profile": self.profile,
            "baseUrl": self.base_url,
            "period": period.slug,
            "fetchedAt": fetched_at.isoformat(),
        }
        path = self.path_for(period)
        write_private_file(path, json.dumps(header).encode() + b"\n" + body)
        return path

    def load(self, period: Period) -> CacheLoad:
        """The cached snapshot of `period`, decoded as of the day it was fetched."""
        path = self.path_for(period)
        try:
            raw = read_small_file(path, MAX_CACHE_BYTES)
        except FileNotFoundError:
            return CacheLoad()
        except OSError as exc:
            return CacheLoad(
                notice=f"could not read the cached data at {display_path(path)}: {exc.strerror}"
            )
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ValueError("not a venice-tui snapshot")
            expected = (self.profile, self.base_url, period.slug)
            if (header.get("profile"), header.get("baseUrl"), header.get("period")) != expected:
                raise ValueError("made for another profile, server or period")
            fetched_at = datetime.fromisoformat(header["fetchedAt"])
            analytics = decode_usage(body, period, fetched_at.date())
        except (ValueError, KeyError, TypeError, BadResponseError) as exc:
            aside = self._set_aside(path)
            return CacheLoad(
                notice=f"the cached data was unusable ({_short(exc)}); moved it to {aside.name}"
            )
        return CacheLoad(CachedSnapshot(analytics, fetched_at))

    def _set_aside(self, path: Path) -> Path:
        aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
        try:
            path.replace(aside)
        except OSError:
            path.unlink(missing_ok=True)
        return aside


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:119] + "…"


def caching_fetch(
    client: VeniceClient, cache: SnapshotCache, clock: Callable[[], datetime]
) -> Callable[[Period], Awaitable[UsageAnalytics]]:
    """A fetcher that writes each good body to `cache` (off the event loop) before returning."""

    async def fetch(period: Period) -> UsageAnalytics:
        analytics, body = await client.fetch_with_body(period)
        # A full disk must not turn good data into an error; the next fetch tries again.
        with contextlib.suppress(OSError):
            await asyncio.to_thread(cache.save, period, body, clock())
        return analytics

    return fetch
