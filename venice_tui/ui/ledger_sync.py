"""The ledger kept in sync from the dashboard: opt-in (`[ledger] sync = true` in config.toml, or
the palette), a walk in the background at a slow pace, again every 10 minutes; the History
screen reads what it stored. Every failure is a line in the status, never a stop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.reactive import reactive

from venice_tui.api.errors import BadRequestError, VeniceError
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError
from venice_tui.archive.ledger_sync import LedgerWalk, LedgerWalkError
from venice_tui.archive.reconcile import DayCheck, reconcile_archive
from venice_tui.core.config import ConfigWriteError, edit_config, load_config

if TYPE_CHECKING:
    from venice_tui.api.client import VeniceClient

#: Seconds between two pages of a background walk, and between two walks.
PAGE_PAUSE = 0.5
WALK_EVERY = 600.0


@dataclass(frozen=True, slots=True)
class LedgerState:
    """What the dashboard knows of the ledger in its archive."""

    #: Kept in sync in the background (the setting).
    enabled: bool = False
    syncing: bool = False
    #: How far the walk under way is (0 to 1).
    fraction: float = 0.0
    rows: int | None = None
    synced_at: datetime | None = None
    error: str | None = None
    #: Days both the ledger and usage-analytics hold, compared.
    checks: tuple[DayCheck, ...] = ()
    #: Grows with each page stored: History queries again when it changed.
    version: int = 0


def sync_setting(data: dict[str, object]) -> bool | None:
    table = data.get("ledger")
    value = table.get("sync") if isinstance(table, dict) else None
    return value if isinstance(value, bool) else None


class LedgerSyncMixin(App[int]):
    ledger: reactive[LedgerState] = reactive(LedgerState)
    archive: Archive | None = None
    _client: VeniceClient | None = None
    now: Callable[[], datetime]

    def start_ledger(self, archive: Archive | None, default_on: bool) -> None:
        """Use `archive` from now on; sync it in the background if the setting says so."""
        self.archive = archive
        setting = sync_setting(load_config().data)
        enabled = (setting if setting is not None else default_on) and archive is not None
        self.ledger = LedgerState(enabled=enabled, version=self.ledger.version + 1)
        self.workers.cancel_group(self, "ledger")
        self.count_ledger()
        if enabled:
            self._keep_ledger_synced()

    @work(thread=True, group="ledger-count", exclusive=True, exit_on_error=False)
    def count_ledger(self) -> None:
        """How many rows, and the reconciliation of the days both sources hold."""
        archive = self.archive
        if archive is None:
            return
        with contextlib.suppress(ArchiveError):
            rows = archive.ledger_count()
            checks = tuple(reconcile_archive(archive, self.now().date()))
            self.call_from_thread(self._counted, archive, rows, checks)

    def _counted(self, archive: Archive, rows: int, checks: tuple[DayCheck, ...]) -> None:
        if archive is self.archive:
            self.ledger = replace(self.ledger, rows=rows, checks=checks)

    @work(group="ledger", exclusive=True, exit_on_error=False)
    async def _keep_ledger_synced(self) -> None:
        while True:
            await self._walk_once(PAGE_PAUSE)
            await asyncio.sleep(WALK_EVERY)

    def action_sync_ledger(self) -> None:
        """Sync now (and, if it was off, from now on)."""
        if self.archive is None:
            self.notify("No archive for this account: nothing to sync into", severity="warning")
            return
        if not self.ledger.syncing:
            self._sync_now()

    @work(group="ledger", exclusive=True, exit_on_error=False)
    async def _sync_now(self) -> None:
        await self._walk_once(0.0)
        if self.ledger.enabled:
            await asyncio.sleep(WALK_EVERY)
            self._keep_ledger_synced()

    async def _walk_once(self, pause: float) -> None:
        archive, client = self.archive, self._client
        if archive is None or client is None:
            return
        self.ledger = replace(self.ledger, syncing=True, fraction=0.0, error=None)
        try:
            walk = await asyncio.to_thread(LedgerWalk, archive, self.now())
            while (call := walk.next_call()) is not None:
                try:
                    page = await client.ledger(call)
                except BadRequestError:
                    if not walk.on_cursor:
                        raise
                    walk.cursor_refused()
                    continue
                await asyncio.to_thread(walk.take, page)
                self.ledger = replace(
                    self.ledger, fraction=walk.fraction, version=self.ledger.version + 1
                )
                await asyncio.sleep(pause)
            rows = await asyncio.to_thread(archive.ledger_count)
            checks = await asyncio.to_thread(reconcile_archive, archive, self.now().date())
            self.ledger = replace(
                self.ledger,
                syncing=False,
                fraction=1.0,
                rows=rows,
                synced_at=self.now(),
                checks=tuple(checks),
                version=self.ledger.version + 1,
            )
        except (VeniceError, LedgerWalkError, ArchiveError) as exc:
            message = exc.in_dashboard if isinstance(exc, VeniceError) else str(exc)
            self.ledger = replace(self.ledger, syncing=False, error=message)

    def set_ledger_sync(self, enabled: bool) -> None:
        self.ledger = replace(self.ledger, enabled=enabled)
        self._write_ledger_setting(enabled)
        if enabled and not self.ledger.syncing:
            self._keep_ledger_synced()
        elif not enabled:
            self.workers.cancel_group(self, "ledger")
            self.ledger = replace(self.ledger, syncing=False)

    @work(thread=True, group="config", exit_on_error=False)
    def _write_ledger_setting(self, enabled: bool) -> None:
        def change(document: object) -> None:
            import tomlkit

            assert isinstance(document, tomlkit.TOMLDocument)
            table = document.setdefault("ledger", tomlkit.table())
            table["sync"] = enabled

        try:
            edit_config(change)
        except (ConfigWriteError, OSError) as exc:
            self.call_from_thread(
                self.notify, f"The setting was not saved: {exc}", severity="error", markup=False
            )

    def ledger_commands(self) -> Iterable[SystemCommand]:
        if self.archive is None:
            return
        yield SystemCommand(
            "Sync the ledger now",
            "Copy the per-request ledger into the local archive (History reads it)",
            self.action_sync_ledger,
        )
        on = self.ledger.enabled
        yield SystemCommand(
            "Stop keeping the ledger in sync" if on else "Keep the ledger in sync",
            "In the background, a page at a time, every 10 minutes (saved in config.toml)",
            lambda: self.set_ledger_sync(not on),
        )
