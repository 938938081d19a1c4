"""Runs `venice-tui report`: resolve the key, fetch once, print, exit with a code scripts can use."""

from __future__ import annotations

import asyncio
import os
import sys

from venice_tui.api.client import UsageClient
from venice_tui.api.errors import MissingKeyError, VeniceError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period, utc_today
from venice_tui.api.secret import ApiKey
from venice_tui.core import report
from venice_tui.core.credentials import find_api_key
from venice_tui.core.settings import Settings


def run_report(settings: Settings, period: Period, output: str) -> int:
    try:
        data = asyncio.run(_fetch(settings, period))
    except VeniceError as exc:
        print(f"venice-tui: {exc}", file=sys.stderr)
        return 1
    today = utc_today()
    if output == "json":
        text = report.render_json(data, today)
    elif output == "csv":
        text = report.render_csv(data)
    else:
        text = report.render_table(data, today)
    _write(text)
    return 0


async def _fetch(settings: Settings, period: Period) -> UsageAnalytics:
    if settings.demo:
        from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoTransport

        async with UsageClient(
            ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=DemoTransport()
        ) as client:
            return await client.fetch(period)
    key = find_api_key(settings.profile, os.environ)
    if key is None:
        raise MissingKeyError()
    async with UsageClient(key, settings.base_url) as client:
        return await client.fetch(period)


def _write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # `venice-tui report | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
