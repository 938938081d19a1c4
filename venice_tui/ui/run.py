"""Assemble and run the TUI from the Account `cli` chose: a live one, or the demo's."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from venice_tui.core import ui_state
from venice_tui.core.domain import Period, utc_now
from venice_tui.core.marks import mark
from venice_tui.core.settings import Settings
from venice_tui.core.store import UsageStore

if TYPE_CHECKING:
    from venice_tui.core.connection import Connection
    from venice_tui.demo.connection import DemoConnection
    from venice_tui.ui.app import VeniceApp


def build_app(
    settings: Settings,
    account: Connection | DemoConnection,
    period: Period | None,
    refresh: int,
    *,
    remember: bool = False,
    monotonic: Callable[[], float] = time.monotonic,
) -> VeniceApp:
    """An account whose key is known at once (the demo's) fetches at once; else the session
    finds the key (or asks for it) after the first frame, which shows the last good data of the
    account the profile showed last. `period` None means the one remembered from last time."""
    from venice_tui.ui.app import VeniceApp
    from venice_tui.ui.session import Opened

    mark("dashboard imported")

    if period is None:
        period = (ui_state.load().period if remember else None) or Period.default()
    if not account.takes_keys and account.fleet() and account.profile not in account.fleet():
        account = account.for_profile(account.fleet()[0])  # `--demo`: the demo fleet's first
    found = None if account.takes_keys else account.find_key()
    if found is None:
        store = UsageStore(None, period, account.source)
        app = VeniceApp(store, refresh, account=account, remember=remember, monotonic=monotonic)
        notice = app.session.show_from_disk(period)
        app.startup_notices.extend([*settings.notices, *([notice] if notice else [])])
        mark("app built, last data read from disk")
        return app
    client = account.client(found.key)
    files = account.known_files(found.key)
    assert files is not None
    store = UsageStore(account.fetchers(client, utc_now, files), period, account.source)
    opened = Opened(account, client, files, account.archive_of(files), account.label)
    app = VeniceApp(
        store, refresh, account=account, opened=opened, remember=remember, monotonic=monotonic
    )
    app.startup_notices.extend(settings.notices)
    mark("app built")
    return app


def run_tui(
    settings: Settings, account: Connection | DemoConnection, period: Period | None, refresh: int
) -> int:
    app = build_app(settings, account, period, refresh, remember=True)
    app.run()
    return app.return_code or 0
