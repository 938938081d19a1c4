"""`KnownAnswers`: the last answer of each slice, recognised by a hash of its body.

Venice caches usage for 10 minutes, so most refreshes bring the same bytes. An answer seen
before is known before anything is decoded: the value decoded then is handed back (the same
object, so nothing downstream sees a change), and it is neither folded into the archive nor
written to disk again, but for a fresh copy on disk now and then (`REWRITE_AFTER`) so the next
start and `statusline` find data of a recent age.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

#: How old the copy on disk of an unchanged answer may get before it is written again: half of
#: Venice's cache time, and half of `statusline`'s default `--max-age`.
REWRITE_AFTER = timedelta(minutes=5)


def digest_of(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


@dataclass(slots=True)
class _Known:
    digest: bytes
    #: What else the value was decoded with (a period, a day): another one decodes again.
    context: Hashable
    value: object
    #: When this body was last written to disk (None: never).
    written_at: datetime | None


class KnownAnswers:
    """Per slice (one entry each, however long the dashboard runs): the last body's hash, and
    the value decoded from it."""

    def __init__(self) -> None:
        self._known: dict[Hashable, _Known] = {}

    def recall(self, key: Hashable, body: bytes, context: Hashable = None) -> object | None:
        """The value decoded from this same body under `key` and `context`; None when new."""
        known = self._known.get(key)
        if known is None or known.context != context or known.digest != digest_of(body):
            return None
        return known.value

    def remember(
        self,
        key: Hashable,
        body: bytes,
        value: object,
        written_at: datetime | None,
        context: Hashable = None,
    ) -> None:
        self._known[key] = _Known(digest_of(body), context, value, written_at)

    def due_on_disk(self, key: Hashable, now: datetime) -> bool:
        """Whether the copy on disk of a known answer is old enough to be written again."""
        known = self._known.get(key)
        if known is None:
            return True
        return known.written_at is None or now - known.written_at >= REWRITE_AFTER

    def written(self, key: Hashable, now: datetime) -> None:
        known = self._known.get(key)
        if known is not None:
            known.written_at = now
