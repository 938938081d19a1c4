"""Helpers for Pilot tests: a demo app with a fixed clock, and a transport we can hold back."""

from __future__ import annotations

import asyncio

import httpx

from tests.harness import FIXED_NOW, opened_app
from venice_tui.api.period import Period
from venice_tui.core.account_state import recent_period
from venice_tui.core.fetching import AccountFetcher
from venice_tui.core.store import Source, UsageStore
from venice_tui.demo.connection import DemoConnection, demo_client
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DemoTransport
from venice_tui.ui.app import VeniceApp


def _previous(days: int) -> tuple[str | None, str | None]:
    before = Period.lookback(days).previous(FIXED_NOW.date())
    return (
        before.start.isoformat() if before.start else None,
        before.end.isoformat() if before.end else None,
    )


PREVIOUS_PERIODS = {_previous(days) for days in (1, 7, 30, 90)}
#: The 30 full days before today, asked once a day for the account's figures.
RECENT = recent_period(FIXED_NOW.date())
RECENT_PERIOD = (
    RECENT.start.isoformat() if RECENT.start else None,
    RECENT.end.isoformat() if RECENT.end else None,
)


class GatedTransport(DemoTransport):
    """Answers like the demo, but only once `gate` is set; counts the period's usage requests
    in flight (this month so far, the balance, key list and key limits go out beside them)."""

    def __init__(self, responder: DemoResponder) -> None:
        super().__init__(responder)
        self.gate = asyncio.Event()
        self.gate.set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.all_requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The period's usage; this month so far (asked every cycle beside it), the period
        # before a lookback (asked once, for period over period) and the 30 full days before
        # today (asked once a day, for the account's figures) are not counted.
        params = request.url.params
        month = params.get("startDate") == FIXED_NOW.date().replace(day=1).isoformat()
        span = (params.get("startDate"), params.get("endDate"))
        before = span in PREVIOUS_PERIODS or span == RECENT_PERIOD
        usage = request.url.path.endswith("/usage-analytics") and not (
            (month and params.get("endDate") == FIXED_NOW.date().isoformat()) or before
        )
        self.all_requests += 1
        if usage:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self.gate.wait()
            return await super().handle_async_request(request)
        finally:
            if usage:
                self.in_flight -= 1


def gated_app(
    period: Period | None = None, refresh: int = 60
) -> tuple[VeniceApp, GatedTransport, DemoResponder]:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    transport = GatedTransport(responder)
    client = demo_client(today=lambda: FIXED_NOW.date(), transport=transport)
    fetchers = AccountFetcher(client, None, lambda: FIXED_NOW)
    store = UsageStore(
        fetchers, period or Period.lookback(30), Source.DEMO, clock=lambda: FIXED_NOW
    )
    app = opened_app(store, refresh, DemoConnection(responder), client, None)
    return app, transport, responder


def status_text(app: VeniceApp) -> str:
    from venice_tui.ui.widgets.status_line import StatusLine

    for screen in app.screen_stack[::-1]:
        lines = screen.query(StatusLine)
        if lines:
            return lines.first().view_text()
    raise AssertionError("no status line on screen")


def visible_state(app: VeniceApp) -> str:
    from textual.widgets import ContentSwitcher

    current = app.screen.query_one("#states", ContentSwitcher).current
    assert current is not None
    return current


async def wait_until(pilot, condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until `condition()` holds; fail with the status line if it never does."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held; status: " + status_text(pilot.app))
