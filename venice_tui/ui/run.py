"""Assemble and run the TUI: client, store and app, from resolved settings."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from venice_tui.api.client import UsageClient
from venice_tui.api.errors import MissingKeyError
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.core.credentials import find_api_key
from venice_tui.core.settings import Settings
from venice_tui.core.store import Source, UsageStore

if TYPE_CHECKING:
    from venice_tui.ui.app import VeniceApp


def build_app(
    settings: Settings, period: Period, refresh: int, api_key: ApiKey | None
) -> VeniceApp:
    from venice_tui.ui.app import VeniceApp

    if settings.demo:
        from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoTransport

        client = UsageClient(ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=DemoTransport())
        source = Source.DEMO
    else:
        if api_key is None:
            raise MissingKeyError()
        client = UsageClient(api_key, settings.base_url)
        source = Source.LIVE
    store = UsageStore(client.fetch, period, source)
    return VeniceApp(store, refresh, on_close=client.aclose)


def run_tui(settings: Settings, period: Period, refresh: int) -> int:
    key = None if settings.demo else find_api_key(settings.profile, os.environ)
    if key is None and not settings.demo:
        print(f"venice-tui: {MissingKeyError()}", file=sys.stderr)
        return 1
    app = build_app(settings, period, refresh, key)
    result = app.run()
    return int(result or 0) if app.return_code is None else app.return_code
