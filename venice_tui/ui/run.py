"""Assemble and run the TUI from what `cli` resolved: a live account, or the demo's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from venice_tui.api.period import Period, utc_now
from venice_tui.core import ui_state
from venice_tui.core.connection import Connection
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.settings import Settings
from venice_tui.core.store import Source, UsageStore

if TYPE_CHECKING:
    from venice_tui.demo.connection import DemoConnection
    from venice_tui.ui.app import VeniceApp


def build_app(
    settings: Settings,
    account: Connection | DemoConnection,
    period: Period | None,
    refresh: int,
    *,
    remember: bool = False,
) -> VeniceApp:
    """On demo data the app fetches at once; live, it finds the key (or asks for it) first.
    `period` None means the one remembered from last time (or the default)."""
    from venice_tui.ui.app import VeniceApp

    if period is None:
        period = (ui_state.load().period if remember else None) or Period.default()
    if not isinstance(account, Connection):
        client = account.client()
        fetchers = AccountFetcher(client, None, utc_now, account.archive())
        store = UsageStore(fetchers, period, Source.DEMO)
        from venice_tui.demo.connection import DEMO_BUDGETS
        from venice_tui.demo.transport import DEMO_BASE_URL

        app = VeniceApp(
            store,
            refresh,
            client=client,
            owner="demo data",
            remember=remember,
            budgets_of=("demo", DEMO_BASE_URL),
            default_budgets=DEMO_BUDGETS,
            archive=account.archive(),
            sync_ledger=True,
        )
        app.startup_notices.extend(settings.notices)
        return app
    store = UsageStore(None, period, Source.LIVE)
    # The last good data from disk goes into the very first frame (a few ms for a 30-day file).
    cache = account.cache()
    loaded = cache.load(period)
    if loaded.snapshot is not None:
        store.show_cached(loaded.snapshot)
    app = VeniceApp(
        store, refresh, connection=account, owner=f"profile {account.profile}", remember=remember
    )
    app.startup_notices.extend(settings.notices)
    if loaded.notice:
        app.startup_notices.append(loaded.notice)
    return app


def run_tui(
    settings: Settings, account: Connection | DemoConnection, period: Period | None, refresh: int
) -> int:
    app = build_app(settings, account, period, refresh, remember=True)
    app.run()
    return app.return_code or 0
