"""When a model's requests of one day happen, and what each weighs: the one schedule that the
demo's ledger rows, its usage of today so far and its DIEM left all follow.

A model's spend of a day is split into requests at seeded times; today so far is the part of
the day's spend whose requests have happened by "now", so that at 00:05 on the 1st of a month
the usage, the balance and the ledger all hold the same five minutes.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import lru_cache

from venice_tui.demo.seeded import unit

MS_PER_DAY = 86_400_000
#: What an average request costs, by model type; the big account's are cheaper (more rows).
REQUEST_COST = {"LLM": 0.06, "IMAGE": 0.08, "TTS": 0.02, "ASR": 0.03, "VIDEO": 1.5}
MAX_REQUESTS = 200_000


@dataclass(frozen=True, slots=True)
class Request:
    #: Milliseconds after the day's midnight (UTC).
    offset: int
    #: This request's part of the model's spend of the day (the parts sum to 1).
    share: float


def request_count(spend: float, model_type: str, scale: float) -> int:
    cost = REQUEST_COST.get(model_type, 0.05) / scale
    return max(1, min(MAX_REQUESTS, round(spend / cost)))


@lru_cache(maxsize=4096)
def day_requests(
    seed: int, ordinal: int, model_index: int, model_type: str, spend: float, scale: float
) -> tuple[Request, ...]:
    """The requests of one model on one day (the day's `ordinal`), in the order they were made
    up (not sorted by time)."""
    count = request_count(spend, model_type, scale)
    weights = [0.3 + unit(seed, ordinal, model_index, i, 7) for i in range(count)]
    total = math.fsum(weights)
    return tuple(
        Request(int(unit(seed, ordinal, model_index, i, 11) * (MS_PER_DAY - 1)), weight / total)
        for i, weight in enumerate(weights)
    )


@lru_cache(maxsize=4096)
def _by_time(
    seed: int, ordinal: int, model_index: int, model_type: str, spend: float, scale: float
) -> tuple[list[int], list[float]]:
    ordered = sorted(
        day_requests(seed, ordinal, model_index, model_type, spend, scale), key=lambda r: r.offset
    )
    offsets = [r.offset for r in ordered]
    running, done = [], 0.0
    for request in ordered:
        done += request.share
        running.append(done)
    return offsets, running


def share_done(
    seed: int,
    ordinal: int,
    model_index: int,
    model_type: str,
    spend: float,
    scale: float,
    until: int,
) -> float:
    """The part of the model's spend of the day whose requests were made by `until`
    (milliseconds after midnight, inclusive): 0 before the first, 1 after the last."""
    if spend <= 0 or until < 0:
        return 0.0
    if until >= MS_PER_DAY - 1:
        return 1.0
    offsets, running = _by_time(seed, ordinal, model_index, model_type, spend, scale)
    made = bisect.bisect_right(offsets, until)
    return min(1.0, running[made - 1]) if made else 0.0
