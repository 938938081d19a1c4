"""Assemble and run the TUI from resolved settings: demo data, or the live API with a key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.core.store import Source, UsageStore

if TYPE_CHECKING:
    from venice_tui.ui.app import VeniceApp


def build_app(settings: Settings, period: Period, refresh: int) -> VeniceApp:
    """In demo mode the app fetches at once; live, it finds the key (or asks for it) first."""
    from venice_tui.ui.app import VeniceApp

    if settings.demo:
        from venice_tui.api.client import UsageClient
        from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoTransport

        client = UsageClient(ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=DemoTransport())
        store = UsageStore(client.fetch, period, Source.DEMO)
        return VeniceApp(store, refresh, on_close=client.aclose)
    connection = Connection(settings)
    store = UsageStore(None, period, Source.LIVE)
    # The last good data from disk goes into the very first frame (a few ms for a 30-day file).
    loaded = connection.cache().load(period)
    if loaded.snapshot is not None:
        store.show_cached(loaded.snapshot)
    app = VeniceApp(store, refresh, connection=connection)
    if loaded.notice:
        app.startup_notice = loaded.notice
    return app


def run_tui(settings: Settings, period: Period, refresh: int) -> int:
    app = build_app(settings, period, refresh)
    app.run()
    return app.return_code or 0
