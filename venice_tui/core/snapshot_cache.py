"""The last good data on disk: one file per profile, base URL and kind of data (the usage of a
period, the balance, the key list, the key's limits), never holding the key.

A file is a one-line JSON header (what it is, for whom, when) followed by Venice's body exactly
as received, so loading runs the same tolerant decoder as a live fetch. Files are 0600 in a 0700
folder and replaced atomically. A corrupt or foreign file is set aside, never trusted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from venice_tui.api.account import decode_api_keys, decode_balance, decode_rate_limits
from venice_tui.api.calls import API_KEYS_CALL, BALANCE_CALL, RATE_LIMITS_CALL, Call
from venice_tui.api.decoder import decode_usage
from venice_tui.api.endpoint import MAX_BODY_BYTES
from venice_tui.api.errors import BadResponseError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.api.text import one_line
from venice_tui.core.account_state import AccountState, Slice, month_to_date, recent_period
from venice_tui.core.data_source import Source
from venice_tui.core.identity import AccountFiles
from venice_tui.core.paths import cache_dir, display_path, read_small_file, write_private_file

FORMAT = "venice-tui-snapshot/1"
#: This month so far has one file, whatever the day (the day it covers is in its header).
MONTH_SLUG = "month-to-date"
#: The 30 full days before today (`recent_period`), one file too.
RECENT_SLUG = "recent-full-days"
#: Venice's largest accepted body plus the header line.
MAX_CACHE_BYTES = MAX_BODY_BYTES + 64 * 1024
T = TypeVar("T")
#: The account's slices: the file's name, the call that fetches it, the decoder (one-shot
#: commands fetch them from this table; the dashboard's `core.fetching` names each).
ACCOUNT_SLICES: dict[str, tuple[Call, Callable[[bytes], Any]]] = {
    "balance": (BALANCE_CALL, decode_balance),
    "api-keys": (API_KEYS_CALL, decode_api_keys),
    "rate-limits": (RATE_LIMITS_CALL, decode_rate_limits),
}


@dataclass(frozen=True, slots=True)
class CachedSnapshot:
    analytics: UsageAnalytics
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class CacheLoad:
    snapshot: CachedSnapshot | None = None
    #: Set when a file was unusable and has been moved aside; a person should hear about it.
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class _Body:
    body: bytes
    fetched_at: datetime


class SnapshotCache:
    """One account's last good data (see `core.identity`: files are named by its digest)."""

    def __init__(self, files: AccountFiles, folder: Path | None = None) -> None:
        self.profile = files.profile
        self.base_url = files.base_url
        self.digest = files.digest
        self.folder = folder or cache_dir() / "snapshots"

    def _path(self, slug: str) -> Path:
        return self.folder / f"{self.digest}-{slug}.snapshot"

    def path_for(self, period: Period) -> Path:
        return self._path(period.slug)

    def save_body(self, slug: str, body: bytes, fetched_at: datetime) -> Path:
        header = {
            "format": FORMAT,
            "profile": self.profile,
            "baseUrl": self.base_url,
            "period": slug,
            "fetchedAt": fetched_at.isoformat(),
        }
        path = self._path(slug)
        write_private_file(path, json.dumps(header).encode() + b"\n" + body)
        return path

    def kept_at(self, slug: str, body: bytes) -> datetime | None:
        """When this very `body` was kept under `slug`; None when another one (or none) is."""
        try:
            raw = read_small_file(self._path(slug), MAX_CACHE_BYTES)
            head, _, kept = raw.partition(b"\n")
            if kept != body:
                return None
            header = json.loads(head)
            if (header.get("format"), header.get("profile"), header.get("period")) != (
                FORMAT,
                self.profile,
                slug,
            ) or header.get("baseUrl") != self.base_url:
                return None
            return datetime.fromisoformat(header["fetchedAt"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, period: Period, body: bytes, fetched_at: datetime) -> Path:
        return self.save_body(period.slug, body, fetched_at)

    def _read(
        self, slug: str, decode: Callable[[bytes, datetime], T]
    ) -> tuple[T | None, datetime | None, str | None]:
        """(decoded, fetched_at, notice); a bad file is set aside and said in the notice."""
        path = self._path(slug)
        try:
            raw = read_small_file(path, MAX_CACHE_BYTES)
        except FileNotFoundError:
            return None, None, None
        except OSError as exc:
            notice = f"could not read the cached data at {display_path(path)}: {exc.strerror}"
            return None, None, notice
        try:
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise ValueError("not a venice-tui snapshot")
            expected = (self.profile, self.base_url, slug)
            if (header.get("profile"), header.get("baseUrl"), header.get("period")) != expected:
                raise ValueError("made for another profile, server or period")
            fetched_at = datetime.fromisoformat(header["fetchedAt"])
            value = decode(body, fetched_at)
        except (ValueError, KeyError, TypeError, BadResponseError) as exc:
            aside = self._set_aside(path)
            return (
                None,
                None,
                (
                    f"the cached data was unusable ({one_line(str(exc), 120)}); moved it to {aside.name}"
                ),
            )
        return value, fetched_at, None

    def load(self, period: Period) -> CacheLoad:
        """The cached snapshot of `period`, decoded as of the day it was fetched."""
        analytics, fetched_at, notice = self._read(
            period.slug, lambda body, at: decode_usage(body, period, at.date())
        )
        if analytics is None or fetched_at is None:
            return CacheLoad(notice=notice)
        return CacheLoad(CachedSnapshot(analytics, fetched_at))

    def load_account(self) -> tuple[AccountState, list[str]]:
        """The month so far, balance, key list and key limits last fetched, marked cached, and
        any notices."""
        month_value, month_at, month_notice = self._read(MONTH_SLUG, _decode_month)
        slices: list[Slice[Any]] = [
            Slice(month_value, month_at, Source.CACHED if month_value is not None else None)
        ]
        notices = [month_notice] if month_notice else []
        for slug, (_, decoder) in ACCOUNT_SLICES.items():

            def decode(body: bytes, at: datetime, decoder: Callable[[bytes], Any] = decoder) -> Any:
                return decoder(body)

            value, fetched_at, notice = self._read(slug, decode)
            slices.append(Slice(value, fetched_at, Source.CACHED if value is not None else None))
            if notice:
                notices.append(notice)
        month, balance, keys, limits = slices
        recent, recent_at, recent_notice = self._read(RECENT_SLUG, _decode_recent)
        notices += [recent_notice] if recent_notice else []
        cached = Source.CACHED if recent is not None else None
        state = AccountState(month, balance, keys, limits, recent=Slice(recent, recent_at, cached))
        return state, notices

    def _set_aside(self, path: Path) -> Path:
        aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
        try:
            path.replace(aside)
        except OSError:
            path.unlink(missing_ok=True)
        return aside


def _decode_month(body: bytes, fetched_at: datetime) -> UsageAnalytics:
    day = fetched_at.date()
    return decode_usage(body, month_to_date(day), day)


def _decode_recent(body: bytes, fetched_at: datetime) -> UsageAnalytics:
    day = fetched_at.date()
    return decode_usage(body, recent_period(day), day)
