"""The ledger service of the dashboard: the account's archive, its ledger kept in sync (opt-in:
`[ledger] sync = true` in config.toml, or the palette) by a walk in the background at a slow
pace, again every 10 minutes, and counted and reconciled with usage-analytics; the History
screen reads what it stored. Every failure is a line in the status, never a stop.

A component the app holds (as dolphie holds its managers): it runs its work as the app's
workers and publishes its `LedgerState` through one callback, which the app mirrors into a
reactive for the screens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand

from venice_tui.core.config import ConfigWriteError, edit_config, load_config
from venice_tui.core.domain import BadRequestError, VeniceError

if TYPE_CHECKING:
    from venice_tui.core.domain import VeniceClient
    from venice_tui.core.local_archive import Archive, DayCheck

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


class LedgerService:
    def __init__(
        self,
        app: App[int],
        publish: Callable[[LedgerState], None],
        now: Callable[[], datetime],
    ) -> None:
        self._app = app
        self._publish = publish
        self._now = now
        self.state = LedgerState()
        self.archive: Archive | None = None
        #: The client the walk pages with; set when an account is connected.
        self.client: VeniceClient | None = None

    def _set(self, state: LedgerState) -> None:
        self.state = state
        self._publish(state)

    def _run(self, work: Callable[[], Any], group: str, thread: bool = False) -> None:
        self._app.run_worker(work, group=group, exclusive=True, thread=thread, exit_on_error=False)

    def start(self, archive: Archive | None, default_on: bool) -> None:
        """Use `archive` from now on; sync it in the background if the setting says so."""
        self.archive = archive
        setting = sync_setting(load_config().data)
        enabled = (setting if setting is not None else default_on) and archive is not None
        self._app.workers.cancel_group(self._app, "ledger")
        self._set(LedgerState(enabled=enabled, version=self.state.version + 1))
        self.count()
        if enabled:
            self._run(self._keep_synced, "ledger")

    def count(self) -> None:
        """How many rows, and the reconciliation of the days both sources hold (a thread)."""
        self._run(self._count, "ledger-count", thread=True)

    def _count(self) -> None:
        from venice_tui.core.local_archive import ArchiveError, reconcile_archive

        archive = self.archive
        if archive is None:
            return
        with contextlib.suppress(ArchiveError):
            rows = archive.ledger_count()
            checks = tuple(reconcile_archive(archive, self._now().date()))
            self._app.call_from_thread(self._counted, archive, rows, checks)

    def _counted(self, archive: Archive, rows: int, checks: tuple[DayCheck, ...]) -> None:
        if archive is self.archive:
            self._set(replace(self.state, rows=rows, checks=checks))

    async def _keep_synced(self) -> None:
        while True:
            await self._walk_once(PAGE_PAUSE)
            await asyncio.sleep(WALK_EVERY)

    def sync_now(self) -> None:
        """Sync now (and, if it was on, every 10 minutes after)."""
        if self.archive is None:
            self._app.notify(
                "No archive for this account: nothing to sync into", severity="warning"
            )
            return
        if not self.state.syncing:
            self._run(self._sync_now, "ledger")

    async def _sync_now(self) -> None:
        await self._walk_once(0.0)
        if self.state.enabled:
            await asyncio.sleep(WALK_EVERY)
            self._run(self._keep_synced, "ledger")

    async def _walk_once(self, pause: float) -> None:
        from venice_tui.core.local_archive import (
            ArchiveError,
            LedgerWalk,
            LedgerWalkError,
            reconcile_archive,
        )

        archive, client = self.archive, self.client
        if archive is None or client is None:
            return
        self._set(replace(self.state, syncing=True, fraction=0.0, error=None))
        try:
            walk = await asyncio.to_thread(LedgerWalk, archive, self._now())
            while (call := walk.next_call()) is not None:
                try:
                    page = await client.ledger(call)
                except BadRequestError:
                    if not walk.on_cursor:
                        raise
                    walk.cursor_refused()
                    continue
                await asyncio.to_thread(walk.take, page)
                self._set(
                    replace(self.state, fraction=walk.fraction, version=self.state.version + 1)
                )
                await asyncio.sleep(pause)
            rows = await asyncio.to_thread(archive.ledger_count)
            checks = await asyncio.to_thread(reconcile_archive, archive, self._now().date())
            self._set(
                replace(
                    self.state,
                    syncing=False,
                    fraction=1.0,
                    rows=rows,
                    synced_at=self._now(),
                    checks=tuple(checks),
                    version=self.state.version + 1,
                )
            )
        except (VeniceError, LedgerWalkError, ArchiveError) as exc:
            message = exc.in_dashboard if isinstance(exc, VeniceError) else str(exc)
            self._set(replace(self.state, syncing=False, error=message))

    def set_sync(self, enabled: bool) -> None:
        self._set(replace(self.state, enabled=enabled))
        self._run(lambda: self._write_setting(enabled), "config", thread=True)
        if enabled and not self.state.syncing:
            self._run(self._keep_synced, "ledger")
        elif not enabled:
            self._app.workers.cancel_group(self._app, "ledger")
            self._set(replace(self.state, syncing=False))

    def _write_setting(self, enabled: bool) -> None:
        def change(document: object) -> None:
            import tomlkit

            assert isinstance(document, tomlkit.TOMLDocument)
            table = document.setdefault("ledger", tomlkit.table())
            table["sync"] = enabled

        try:
            edit_config(change)
        except (ConfigWriteError, OSError) as exc:
            self._app.call_from_thread(
                self._app.notify,
                f"The setting was not saved: {exc}",
                severity="error",
                markup=False,
            )

    def commands(self) -> Iterable[SystemCommand]:
        if self.archive is None:
            return
        yield SystemCommand(
            "Sync the ledger now",
            "Copy the per-request ledger into the local archive (History reads it)",
            self.sync_now,
        )
        on = self.state.enabled
        yield SystemCommand(
            "Stop keeping the ledger in sync" if on else "Keep the ledger in sync",
            "In the background, a page at a time, every 10 minutes (saved in config.toml)",
            lambda: self.set_sync(not on),
        )
