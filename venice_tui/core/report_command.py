"""Runs `venice-tui report`: fetch once (or read the cache), print, exit with a code scripts use."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, date, datetime

from venice_tui.api.client import UsageClient
from venice_tui.api.errors import MissingKeyError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_today
from venice_tui.core import report
from venice_tui.core.credentials import find_api_key
from venice_tui.core.format import describe_age
from venice_tui.core.glyphs import GLYPHS, to_ascii
from venice_tui.core.settings import Settings
from venice_tui.core.snapshot_cache import SnapshotCache, caching_fetch


def run_report(settings: Settings, period: Period, output: str, offline: bool = False) -> int:
    try:
        if offline:
            data, today = _from_cache(settings, period)
        else:
            data, today = asyncio.run(_fetch(settings, period)), utc_today()
    except VeniceError as exc:
        print(f"venice-tui: {exc}", file=sys.stderr)
        return 1
    if output == "json":
        text = report.render_json(data, today)
    elif output == "csv":
        text = report.render_csv(data)
    else:
        text = report.render_table(data, today)
    _write(text)
    return 0


class _NoCacheError(VeniceError):
    kind = "offline"


def _from_cache(settings: Settings, period: Period) -> tuple[UsageAnalytics, date]:
    loaded = SnapshotCache(settings.profile, settings.base_url).load(period)
    if loaded.notice:
        print(f"venice-tui: {loaded.notice}", file=sys.stderr)
    if loaded.snapshot is None:
        raise _NoCacheError(
            f"no cached data for {period.label} (profile {settings.profile}); "
            "run `venice-tui report` once while online, or open the dashboard"
        )
    fetched_at = loaded.snapshot.fetched_at
    age = (datetime.now(UTC) - fetched_at).total_seconds()
    print(
        f"venice-tui: offline: cached data fetched {fetched_at:%Y-%m-%d %H:%M} UTC ({describe_age(age)})",
        file=sys.stderr,
    )
    return loaded.snapshot.analytics, fetched_at.date()


async def _fetch(settings: Settings, period: Period) -> UsageAnalytics:
    if settings.demo:
        from venice_tui.demo.client import demo_client

        async with demo_client() as client:
            return await client.fetch(period)
    key = find_api_key(settings.profile, os.environ)
    if key is None:
        raise MissingKeyError()
    async with UsageClient(key, settings.base_url, **settings.client_options()) as client:
        cache = SnapshotCache(settings.profile, settings.base_url)
        return await caching_fetch(client, cache, lambda: datetime.now(UTC))(period)


def _write(text: str) -> None:
    if GLYPHS.ascii:
        text = to_ascii(text)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `venice-tui report | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
