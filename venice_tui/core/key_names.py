"""One name per API key, the same in the table, the detail pane, alerts, `check`, exports and
metrics: its description, and when another key of the account has the same description, the
last 6 characters of its id as the live service writes them: `Staging (...1a3b57)`.

Usage-analytics already adds that suffix to twins' descriptions; `/api_keys` does not. A name
is made from the description without the suffix and the set of keys known, so a key reads the
same whichever of the two it came from. The Web App (no id) is `Web App`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.models import KeyUsage


def suffix(key_id: str) -> str:
    return f" (...{key_id[-6:]})"


def base_description(description: str, key_id: str | None) -> str:
    """The description without the live service's ` (...<last 6>)` suffix for twins."""
    if key_id:
        end = suffix(key_id)
        if description.endswith(end) and len(description) > len(end):
            return description[: -len(end)]
    return description


@dataclass(frozen=True, slots=True)
class KeyNames:
    #: Descriptions (without suffix) that more than one key id carries.
    shared: frozenset[str] = frozenset()

    def name(self, key_id: str | None, description: str) -> str:
        if not key_id:
            return description
        base = base_description(description, key_id)
        if base in self.shared or base != description:
            return base + suffix(key_id)
        return base


def key_names(usage: Iterable[KeyUsage] = (), infos: Iterable[ApiKeyInfo] = ()) -> KeyNames:
    """The names of the keys in `usage` rows and the key list, told apart where they share a
    description."""
    ids: dict[str, set[str]] = {}
    pairs = [(u.key_id, u.description) for u in usage] + [(i.key_id, i.description) for i in infos]
    for key_id, description in pairs:
        if key_id:
            ids.setdefault(base_description(description, key_id), set()).add(key_id)
    return KeyNames(frozenset(base for base, owners in ids.items() if len(owners) > 1))
