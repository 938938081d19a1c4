"""Every key of the account beside its usage: `/api_keys` joined by id with the usage rows.

Keys with no usage in the period are listed (and dimmed); usage of a key that no longer exists
is kept and marked deleted; the Web App has usage and no key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.models import WEB_APP_ROW_KEY, KeyUsage
from venice_tui.core.key_names import key_names
from venice_tui.core.money import KeyHealth, key_health


@dataclass(frozen=True, slots=True)
class KeyView:
    row_key: str
    key_id: str | None
    #: The key's one name (`core.key_names`): twins told apart by the end of their id.
    description: str
    usage: KeyUsage | None
    info: ApiKeyInfo | None
    #: Used in the period, absent from the key list since.
    deleted: bool
    health: KeyHealth

    @property
    def is_web_app(self) -> bool:
        return self.row_key == WEB_APP_ROW_KEY or (self.usage is not None and self.usage.is_web_app)

    @property
    def spend(self) -> float:
        return self.usage.spend if self.usage else 0.0


def join_keys(
    usage: tuple[KeyUsage, ...], infos: tuple[ApiKeyInfo, ...] | None, now: datetime
) -> list[KeyView]:
    """One row per key: usage rows first (in their order), then listed keys without usage.
    `infos` None means the key list is unavailable: no key is called deleted then."""
    by_id = {info.key_id: info for info in infos or ()}
    names = key_names(usage, infos or ())
    views = []
    seen: set[str] = set()
    for row in usage:
        info = by_id.get(row.key_id) if row.key_id else None
        if row.key_id:
            seen.add(row.key_id)
        views.append(
            KeyView(
                row_key=row.row_key,
                key_id=row.key_id,
                description=names.name(row.key_id, row.description),
                usage=row,
                info=info,
                deleted=infos is not None and row.key_id is not None and info is None,
                health=key_health(info, now) if info else KeyHealth("", ()),
            )
        )
    for info in infos or ():
        if info.key_id not in seen:
            views.append(
                KeyView(
                    row_key=info.key_id,
                    key_id=info.key_id,
                    description=names.name(info.key_id, info.description),
                    usage=None,
                    info=info,
                    deleted=False,
                    health=key_health(info, now),
                )
            )
    return views
