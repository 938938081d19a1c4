"""The real client, answered in-process by the demo responder: `--demo` needs no key or network.

The one place a demo client is made (the TUI, `report --demo`, screenshots and tests use it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from venice_tui.api.client import UsageClient
from venice_tui.api.period import utc_today
from venice_tui.api.secret import ApiKey
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoTransport


def demo_client(
    responder: DemoResponder | None = None,
    today: Callable[[], date] = utc_today,
    transport: DemoTransport | None = None,
) -> UsageClient:
    return UsageClient(
        ApiKey(DEMO_API_KEY),
        DEMO_BASE_URL,
        transport=transport or DemoTransport(responder),
        today=today,
    )
