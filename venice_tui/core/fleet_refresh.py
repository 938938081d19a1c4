"""Every profile of the fleet refreshed on its own schedule (`FleetSchedule`), each one's data
its own (`ProfileWatch`). The profile on screen is refreshed by the dashboard as ever; here it
is skipped. Free of any UI framework: the dashboard calls `due` every second and runs each
watch it returns as a worker, then `ran` with the outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from venice_tui.api.period import Clock
from venice_tui.core.account_state import AccountState
from venice_tui.core.fleet_schedule import OTHER_INTERVAL, FleetSchedule
from venice_tui.core.fleet_watch import Outcome, ProfileWatch, Watched
from venice_tui.core.watched_account import WatchedAccount

#: The profile on screen asks first: the others start this many seconds after the disk is read.
START_DELAY = 2.0


class FleetRefresh:
    def __init__(
        self,
        accounts: Iterable[WatchedAccount],
        clock: Clock,
        monotonic: Callable[[], float],
        interval: float = OTHER_INTERVAL,
        on_change: Callable[[Watched], None] = lambda watched: None,
    ) -> None:
        self._clock, self._monotonic = clock, monotonic
        self.watches = {a.profile: ProfileWatch(a, clock, on_change) for a in accounts}
        self.schedule = FleetSchedule(list(self.watches), monotonic(), interval)
        #: The profile on screen: the dashboard's own store refreshes it.
        self.current: str | None = None
        self._disk_lock = threading.Lock()
        self._disk: dict[str, AccountState | None] | None = None

    @property
    def profiles(self) -> list[str]:
        return list(self.watches)

    def watched(self, profile: str) -> Watched | None:
        watch = self.watches.get(profile)
        return watch.watched if watch is not None else None

    def read_disk(self) -> dict[str, AccountState | None]:
        """Each profile's last good data (blocking); read once, by whoever asks first (a
        second caller waits for that read and gets the same)."""
        with self._disk_lock:
            if self._disk is None:
                self._disk = {p: w.read_disk() for p, w in self.watches.items()}
            return self._disk

    def show_disk(self, states: dict[str, AccountState | None]) -> None:
        """Put what was on disk in the rows, and schedule each profile by its data's age: one
        with nothing, or data older than an interval, is due at once (still spaced)."""
        now, mono = self._clock(), self._monotonic()
        interval = self.schedule.interval
        for profile, state in states.items():
            self.watches[profile].show_disk(state)
            fetched = state.month.fetched_at if state is not None else None
            age = (now - fetched).total_seconds() if fetched is not None else None
            if age is None or age >= interval:
                self.schedule.due_at(profile, mono + START_DELAY)

    def due(self) -> list[ProfileWatch]:
        """The watches to refresh now (the profile on screen is left to the dashboard)."""
        now = self._monotonic()
        starting = []
        for profile in self.schedule.due(now):
            if profile == self.current:
                self.schedule.skip(profile, now)
            else:
                starting.append(self.watches[profile])
        return starting

    def ran(self, watch: ProfileWatch, outcome: Outcome) -> None:
        self.schedule.finished(watch.profile, outcome.ok, self._monotonic(), outcome.server_wait)

    def failed_unexpectedly(self, profile: str) -> None:
        """A refresh ended by a bug: backed off like a failure, never retried in a loop."""
        self.schedule.finished(profile, False, self._monotonic())

    async def close(self) -> None:
        for watch in self.watches.values():
            await watch.close()
