"""The demo account behind `--demo`: the real clients, answered in-process by the responder.

`cli` picks this or a live `Connection` once; the TUI and the commands work with either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from venice_tui.api.client import VeniceClient
from venice_tui.api.period import utc_today
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.archive.archive import Archive
from venice_tui.core.budgets import Budgets, Limits
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_API_KEY, DEMO_BASE_URL, DemoSyncTransport, DemoTransport


def demo_client(
    responder: DemoResponder | None = None,
    today: Callable[[], date] = utc_today,
    transport: DemoTransport | None = None,
) -> VeniceClient:
    """The real async client on demo data (the TUI, screenshots and tests use it)."""
    return VeniceClient(
        ApiKey(DEMO_API_KEY),
        DEMO_BASE_URL,
        transport=transport or DemoTransport(responder),
        today=today,
    )


#: Budgets of the demo account (unless config.toml has `[budget.demo]`): the month is on
#: course to pass 80% of its budget, so the bar and the forecast show a warning.
DEMO_BUDGETS = Budgets(account=Limits(monthly_usd=400.0, daily_usd=15.0))


@dataclass(frozen=True)
class DemoConnection:
    responder: DemoResponder
    #: The demo's archive lives as long as the process: nothing of the demo goes to disk.
    memory: Archive = field(default_factory=Archive.in_memory, compare=False)
    is_demo = True
    profile = "demo"

    @classmethod
    def standard(cls) -> DemoConnection:
        return cls(DemoResponder())

    def client(self) -> VeniceClient:
        return demo_client(self.responder)

    def sync_client(self) -> VeniceSyncClient:
        return VeniceSyncClient(
            ApiKey(DEMO_API_KEY), DEMO_BASE_URL, transport=DemoSyncTransport(self.responder)
        )

    def cache(self) -> None:
        """Demo data is never kept on disk."""
        return None

    def archive(self) -> Archive:
        return self.memory
