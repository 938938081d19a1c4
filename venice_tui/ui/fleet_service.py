"""The fleet service of the dashboard: every other profile watched on its own schedule
(`core.fleet_refresh`), each refresh a worker of its own so one slow or failing account never
delays another, and what is known of each published as a `FleetView` for the Accounts screen.

A component the app holds (as it holds the ledger service): it runs its work as the app's
workers and publishes through one callback, which the app mirrors into a reactive.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App

from venice_tui.core.account_state import AccountState
from venice_tui.core.budgets import Budgets
from venice_tui.core.credentials import ENV_VAR
from venice_tui.core.domain import one_line
from venice_tui.core.fleet_schedule import OTHER_INTERVAL

if TYPE_CHECKING:
    from venice_tui.core.fleet_refresh import FleetRefresh
    from venice_tui.core.fleet_watch import ProfileWatch, Watched
    from venice_tui.ui.session import Account

#: Said on the Accounts screen when the environment's key stands in for every profile's.
SHARED_KEY_NOTE = (
    f"{ENV_VAR} is set: it would be every profile's key, so only this profile is shown "
    "(unset it to see every profile with its own stored key)"
)


@dataclass(frozen=True, slots=True)
class FleetView:
    """What the Accounts screen shows beside the profile on screen."""

    #: Every profile of the fleet, the one on screen included, in the order known.
    profiles: tuple[str, ...] = ()
    #: What is known of each other profile (the one on screen comes from the store).
    others: dict[str, Watched] = field(default_factory=dict)
    budgets: dict[str, Budgets] = field(default_factory=dict)
    #: Whether Enter can switch the dashboard to another profile (the demo's fleet can too).
    can_switch: bool = True
    #: Why other profiles are not shown, when they are not.
    note: str | None = None
    #: Whether each profile's last good data has been read from disk.
    disk_read: bool = False
    #: The last characters of the key of the profile on screen (None: not found yet).
    current_key: str | None = None


class FleetService:
    def __init__(
        self,
        app: App[int],
        publish: Callable[[FleetView], None],
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        interval: float = OTHER_INTERVAL,
    ) -> None:
        self._app = app
        self._publish = publish
        self._clock, self._monotonic = clock, monotonic
        self._interval = interval
        self.refresh: FleetRefresh | None = None
        self.view = FleetView()

    def start(self, account: Account, profiles: list[str]) -> None:
        """Watch every profile of `profiles` (the one on screen is left to the dashboard)."""
        current = account.profile
        names = list(dict.fromkeys([*profiles, current]))
        if not account.takes_keys and current not in profiles:
            names = [current]  # a demo account outside the demo fleet: it alone
        if account.takes_keys and os.environ.get(ENV_VAR, "").strip():
            self._set(replace(self.view, profiles=(current,), note=SHARED_KEY_NOTE, disk_read=True))
            return
        from venice_tui.core.fleet_refresh import FleetRefresh

        accounts = [account.for_profile(p) if p != current else account for p in names]
        self.refresh = FleetRefresh(
            accounts, self._clock, self._monotonic, self._interval, self._watched_changed
        )
        self.refresh.current = current
        self._set(replace(self.view, profiles=tuple(names), can_switch=len(names) > 1))
        self._app.run_worker(self._read_disk, thread=True, group="fleet-disk", exit_on_error=False)
        if len(names) > 1:  # one profile: the dashboard's own refresh is all there is
            self._app.set_interval(1.0, self.tick)

    def _set(self, view: FleetView) -> None:
        self.view = view
        self._publish(view)

    def _read_disk(self) -> None:
        """Each profile's last good data and budgets (small files; a thread all the same)."""
        refresh = self.refresh
        if refresh is None:
            return
        states = refresh.read_disk()
        budgets = {p: w.account.budgets()[0] for p, w in refresh.watches.items()}
        self._app.call_from_thread(self._disk_read, states, budgets)

    def read_disk_now(self) -> None:
        """The Accounts screen opened before the thread read the disk: read it now, so that
        its first paint has every row's last good data."""
        refresh = self.refresh
        if refresh is None or self.view.disk_read:
            return
        states = refresh.read_disk()
        budgets = {p: w.account.budgets()[0] for p, w in refresh.watches.items()}
        self._disk_read(states, budgets)

    def _disk_read(
        self, states: dict[str, AccountState | None], budgets: dict[str, Budgets]
    ) -> None:
        refresh = self.refresh
        if refresh is None or self.view.disk_read:
            return  # shown already (the Accounts screen asked before the thread was done)
        refresh.show_disk(states)
        self._set(replace(self.view, others=self._others(), budgets=budgets, disk_read=True))

    def _others(self) -> dict[str, Watched]:
        refresh = self.refresh
        if refresh is None:
            return {}
        return {p: w.watched for p, w in refresh.watches.items() if p != refresh.current}

    def _watched_changed(self, watched: Watched) -> None:
        view = self.view
        if self.refresh is not None and watched.profile != self.refresh.current:
            others = {**view.others, watched.profile: watched}
            self._set(replace(view, others=others))

    def tick(self) -> None:
        """Once a second: start the refresh of every profile that is due, each on its own."""
        refresh = self.refresh
        if refresh is None or not self.view.disk_read:
            return
        for watch in refresh.due():
            self._app.run_worker(
                self._run(refresh, watch),
                group=f"fleet:{watch.profile}",
                exit_on_error=False,
            )

    async def _run(self, refresh: FleetRefresh, watch: ProfileWatch) -> None:
        try:
            outcome = await watch.refresh()
        except Exception as exc:  # a bug or a disk: said in its own row, never in another's
            watch.failed_unexpectedly(f"{type(exc).__name__}: {one_line(str(exc), 120)}")
            refresh.failed_unexpectedly(watch.profile)
            return
        refresh.ran(watch, outcome)

    def switched(self, profile: str, state: AccountState) -> None:
        """The dashboard now shows `profile`: the profile it showed before is watched here from
        now on, starting from what the dashboard held of it."""
        refresh = self.refresh
        if refresh is None:
            return
        before = refresh.current
        refresh.current = profile
        if before is not None and before in refresh.watches:
            refresh.watches[before].take_over(state, self.view.current_key)
        self._set(replace(self.view, others=self._others(), current_key=None))

    def opened(self, key_tail: str | None) -> None:
        """The key of the profile on screen is known."""
        if key_tail != self.view.current_key:
            self._set(replace(self.view, current_key=key_tail))

    async def close(self) -> None:
        if self.refresh is not None:
            await self.refresh.close()
