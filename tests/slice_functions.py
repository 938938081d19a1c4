"""A `SliceFetcher` for tests, made of one function per slice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.core.account_state import Progress


@dataclass(frozen=True)
class SliceFunctions:
    """A `SliceFetcher` made of one function per slice; a slice without one stays empty."""

    fetch_usage: Callable[[Period], Awaitable[UsageAnalytics]]
    fetch_month: Callable[[], Awaitable[Any]] | None = None
    fetch_recent: Callable[[], Awaitable[Any]] | None = None
    fetch_balance: Callable[[], Awaitable[Any]] | None = None
    fetch_keys: Callable[[], Awaitable[Any]] | None = None
    fetch_limits: Callable[[], Awaitable[Any]] | None = None

    async def usage(self, period: Period, progress: Progress) -> UsageAnalytics:
        return await self.fetch_usage(period)

    async def month(self) -> Any:
        return await self.fetch_month() if self.fetch_month else None

    async def recent(self) -> Any:
        return await self.fetch_recent() if self.fetch_recent else None

    async def previous(self, period: Period, progress: Progress) -> None:
        return None

    async def balance(self) -> Any:
        return await self.fetch_balance() if self.fetch_balance else None

    async def api_keys(self) -> Any:
        return await self.fetch_keys() if self.fetch_keys else None

    async def rate_limits(self) -> Any:
        return await self.fetch_limits() if self.fetch_limits else None
