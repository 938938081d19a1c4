"""When each account of the fleet is refreshed: every profile on its own schedule, staggered so
that ten accounts never ask Venice in the same second, one's failures backing off its own
schedule alone. Pure bookkeeping on a monotonic clock the caller passes in (a fake one in
tests); the dashboard runs what `due` returns.

Venice caches usage for 10 minutes, so a profile not on screen is refreshed every
`OTHER_INTERVAL` seconds: a background refresh asks 4 requests (the month so far, the balance,
the key list, the key's limits; the 30 days before today once a UTC day), which is under one
request per minute per key, far inside Venice's limits for any key.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Seconds between two refreshes of a profile that is not on screen.
OTHER_INTERVAL = 300.0
#: Two refreshes of the fleet never start closer than this (seconds), however many profiles.
MIN_SPACING = 1.0
#: How much earlier than `MIN_SPACING` a tick may come and still start the next profile.
TICK_SLACK = 0.1
#: A failing profile waits at most this long before it is tried again.
MAX_BACKOFF = 1800.0


@dataclass(slots=True)
class _Slot:
    next_at: float
    failures: int = 0
    running: bool = False


class FleetSchedule:
    """Which profiles are due at a moment, and when each is due next."""

    def __init__(
        self,
        profiles: list[str],
        now: float,
        interval: float = OTHER_INTERVAL,
        first_delay: float = 0.0,
    ) -> None:
        """The first refreshes are spread evenly over one interval (or `MIN_SPACING` apart
        when there are more profiles than seconds in it), starting after `first_delay`."""
        self.interval = interval
        self._slots: dict[str, _Slot] = {}
        step = max(MIN_SPACING, interval / max(1, len(profiles)))
        for index, profile in enumerate(profiles):
            self._slots[profile] = _Slot(now + first_delay + index * step)
        self._last_start = float("-inf")

    @property
    def profiles(self) -> list[str]:
        return list(self._slots)

    def next_at(self, profile: str) -> float | None:
        slot = self._slots.get(profile)
        return None if slot is None else slot.next_at

    def next_due(self) -> float | None:
        """When the next profile is due (None: every one is under way)."""
        waiting = [slot.next_at for slot in self._slots.values() if not slot.running]
        return min(waiting) if waiting else None

    def due(self, now: float) -> list[str]:
        """The profiles to start now, marked running; at most one per `MIN_SPACING`, the one
        waiting longest first (a late tick never releases a burst)."""
        waiting = [
            (slot.next_at, profile)
            for profile, slot in self._slots.items()
            if not slot.running and slot.next_at <= now
        ]
        # A tick a hair early (timers drift) still starts: never two in the same second.
        if not waiting or now - self._last_start < MIN_SPACING - TICK_SLACK:
            return []
        _, profile = min(waiting)
        self._slots[profile].running = True
        self._last_start = now
        return [profile]

    def finished(self, profile: str, ok: bool, now: float, server_wait: float = 0.0) -> None:
        """A refresh ended: the next one an interval later, or later still after failures
        (doubling, capped), never sooner than the wait the server asked for."""
        slot = self._slots.get(profile)
        if slot is None:
            return
        slot.running = False
        slot.failures = 0 if ok else slot.failures + 1
        delay = self.interval
        if slot.failures:
            delay = min(self.interval * 2**slot.failures, max(MAX_BACKOFF, self.interval))
        slot.next_at = now + max(delay, server_wait)

    def skip(self, profile: str, now: float) -> None:
        """Nothing to do for it now (no key, or it is the one on screen): asked again an
        interval later."""
        slot = self._slots.get(profile)
        if slot is not None:
            slot.running = False
            slot.next_at = now + self.interval

    def due_at(self, profile: str, at: float) -> None:
        """Due at `at` (a profile whose data on disk is old, or missing, is due at once)."""
        slot = self._slots.get(profile)
        if slot is not None and not slot.running:
            slot.next_at = at

    def refresh_soon(self, profile: str, now: float) -> None:
        """Due at once (the person asked for it), still behind the spacing."""
        slot = self._slots.get(profile)
        if slot is not None and not slot.running:
            slot.next_at = now

    def add(self, profile: str, now: float) -> None:
        if profile not in self._slots:
            self._slots[profile] = _Slot(now)

    def drop(self, profile: str) -> None:
        self._slots.pop(profile, None)
