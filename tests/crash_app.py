"""Runs the real app until it crashes with a key in play, so a test can read Textual's report."""

from __future__ import annotations

import httpx

from venice_tui.api.client import VeniceClient
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.core.store import Source, UsageStore
from venice_tui.demo.connection import DemoConnection
from venice_tui.ui.app import VeniceApp

SECRET = "sk-admin-crash-report-0123456789"


class ExplodingTransport(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = ApiKey(SECRET)  # a local holding the key, as a careless frame might
        raise RuntimeError(f"boom while sending {request.method} with {key}")


class CrashingApp(VeniceApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.run_worker(self._crash(), exit_on_error=True)

    async def _crash(self) -> None:
        client = VeniceClient(
            ApiKey(SECRET), "https://api.venice.ai/api/v1", transport=ExplodingTransport()
        )
        await client.fetch(Period.lookback(7))


if __name__ == "__main__":
    store = UsageStore(None, Period.lookback(7), Source.LIVE)
    CrashingApp(store, 0, account=DemoConnection.standard()).run(headless=True)
