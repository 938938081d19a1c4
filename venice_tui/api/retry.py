"""How often and how long to wait before asking Venice again."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from venice_tui.api.period import seconds_since_epoch


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    #: Retries after a 500/502/503, spaced by `backoff_base * 2**n` seconds plus jitter.
    server_error_retries: int = 2
    #: Retries after a failed connection (refused, reset); DNS failures are not retried.
    connect_retries: int = 1
    #: Retries after a 429, waiting as the server asks, clamped to the bounds below: a minute
    #: of rate limiting costs a wait, not the answer. Every one is also a failure counted in
    #: the client's `FailureBudget`, which all its requests share.
    rate_limit_retries: int = 4
    #: A call waits at most this long in all for 429s before it gives up.
    rate_limit_patience: float = 60.0
    backoff_base: float = 1.0
    backoff_cap: float = 8.0
    rate_limit_min_wait: float = 1.0
    rate_limit_max_wait: float = 60.0

    def backoff(self, attempt: int, rng: Callable[[], float] | None = None) -> float:
        import random  # only after a failure: not worth its import on every start

        delay: float = min(self.backoff_cap, self.backoff_base * 2**attempt)
        return delay * (0.75 + 0.5 * (rng or random.random)())

    def clamp_rate_limit_wait(self, asked: float | None) -> float:
        wait = self.rate_limit_min_wait if asked is None else asked
        return max(self.rate_limit_min_wait, min(self.rate_limit_max_wait, wait))


#: The policy every client uses unless a test gives another.
DEFAULT_POLICY = RetryPolicy()
#: A wait a server asks for beyond this is read as "a long time", not taken literally.
LONGEST_ASKED_WAIT = 86_400.0


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or `x-ratelimit-reset-requests`.

    Venice documents the latter as the Unix time to retry at; a small value is read as seconds.
    """
    now = time.time() if now is None else now
    retry_after = headers.get("retry-after")
    if retry_after:
        text = retry_after.strip()
        try:
            return _bounded(float(text))
        except ValueError:
            pass
        from email.utils import parsedate_to_datetime  # rare, and slow to import

        try:
            return _bounded(parsedate_to_datetime(text).timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    reset = headers.get("x-ratelimit-reset-requests")
    if reset:
        try:
            value = float(reset.strip().rstrip("s"))
        except ValueError:
            return None
        value = seconds_since_epoch(value)
        if value > 1e9:  # a moment (seconds since the epoch), not a number of seconds
            return _bounded(value - now)
        return _bounded(value)
    return None


def _bounded(seconds: float) -> float | None:
    """A finite wait between 0 and a day; None for `nan` or `inf` (nothing usable was said)."""
    if not math.isfinite(seconds):
        return None
    return max(0.0, min(LONGEST_ASKED_WAIT, seconds))


class FailureBudget:
    """Counts failed requests in a sliding window so we stay under Venice's block.

    Venice blocks a caller for 30 s after more than 20 failed requests in 30 s; we stop at
    `limit` (15) failures in the window, whatever the caller asks for.
    """

    def __init__(
        self, limit: int = 15, window: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: deque[float] = deque()
        #: The dashboard's client and its ledger sync (a thread) share one budget.
        self._lock = threading.Lock()

    def _prune(self) -> float:
        now = self._clock()
        while self._failures and now - self._failures[0] >= self.window:
            self._failures.popleft()
        return now

    def record_failure(self) -> None:
        with self._lock:
            self._failures.append(self._prune())

    def wait_needed(self) -> float:
        """0 when a request may go out now, else the seconds until the oldest failure expires."""
        with self._lock:
            now = self._prune()
            if len(self._failures) < self.limit:
                return 0.0
            return max(0.0, self.window - (now - self._failures[0]))
