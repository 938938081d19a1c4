"""Which Venice account a key belongs to, so that what is kept on disk belongs to exactly one.

No endpoint returns an account id, but an ADMIN key reads its account's list of keys
(`/api_keys`): two keys of one account see the same key ids, a key of another account sees
others. So each profile (and server) keeps a small book in the data folder: the accounts seen
under it, each with the key ids it had, and the fingerprints of the keys that belong to each (a
salted SHA-256, never the key). A key seen before is placed at once, with no request; a new key
is placed by its key list: with the account whose ids it shares, else as a new account whose
files start empty beside the old ones. A key that cannot list keys (an INFERENCE key) is an
account of its own until an ADMIN key of the same account is seen. A key belongs to one account
for ever, so a fingerprint, once placed, never moves.

Every file of an account (last good data, archive, alert log, status-bar summary) is named by
its `AccountFiles.digest`. Files kept before accounts were told apart (named by profile and
server alone) go to the first account whose key list matches the key list they hold, and to no
other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from venice_tui.api.secret import ApiKey
from venice_tui.core.fs import MAX_BOOK_BYTES, book_file, data_folder, place_digest, read_small_file


@dataclass(frozen=True, slots=True)
class AccountFiles:
    """Where one account's files are: everything on disk is named by `digest`."""

    profile: str
    base_url: str
    #: Opaque, made here (or "demo"); shown shortened in notices.
    account: str
    digest: str
    #: False for the demo, whose archive is in memory and of which nothing is written.
    on_disk: bool = True

    def archive_path(self) -> Path:
        return Path(data_folder()) / f"archive-{self.digest}.sqlite3"


@dataclass
class _Record:
    digest: str
    key_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Placement:
    files: AccountFiles
    #: One line for the person when the key belongs to another account than before.
    notice: str | None = None


class AccountBook:
    """The accounts seen under one profile and server; loaded, changed and saved as a whole."""

    def __init__(self, profile: str, base_url: str, path: Path | None = None) -> None:
        self.profile = profile
        self.base_url = base_url
        self.path = path or book_path(profile, base_url)
        self.salt = secrets.token_hex(16)
        self.accounts: dict[str, _Record] = {}
        self.keys: dict[str, str] = {}
        #: The account the profile showed last (the first frame, the status bar).
        self.current: str | None = None
        self._read()

    def _read(self) -> None:
        try:
            data = json.loads(read_small_file(self.path, MAX_BOOK_BYTES))
            salt, accounts, keys = data["salt"], data["accounts"], data["keys"]
            current = data.get("current")
            parsed = {
                str(name): _Record(str(entry["digest"]), {str(i) for i in entry["keyIds"]})
                for name, entry in accounts.items()
            }
            owners = {str(fp): str(name) for fp, name in keys.items() if name in parsed}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # no book, or not one: accounts are placed again by their key lists
        self.salt, self.accounts, self.keys = str(salt), parsed, owners
        self.current = current if current in parsed else None

    def save(self) -> None:
        from venice_tui.core.paths import write_private_file

        data = {
            "salt": self.salt,
            "current": self.current,
            "accounts": {
                name: {"digest": record.digest, "keyIds": sorted(record.key_ids)}
                for name, record in self.accounts.items()
            },
            "keys": self.keys,
        }
        write_private_file(self.path, json.dumps(data, indent=1).encode())

    def fingerprint(self, key: ApiKey) -> str:
        return hmac.new(self.salt.encode(), key.reveal().encode(), hashlib.sha256).hexdigest()

    def files_of(self, account: str) -> AccountFiles:
        return AccountFiles(self.profile, self.base_url, account, self.accounts[account].digest)

    def known(self, key: ApiKey) -> AccountFiles | None:
        """The account of a key seen before; None for a new key."""
        account = self.keys.get(self.fingerprint(key))
        return None if account is None else self.files_of(account)

    def last_shown(self) -> AccountFiles | None:
        return None if self.current is None else self.files_of(self.current)

    def place(
        self,
        key: ApiKey,
        key_ids: Iterable[str] | None,
        legacy_key_ids: Callable[[], set[str]] = set,
    ) -> Placement:
        """The account of `key`, given the ids of its account's keys (None: this key cannot list
        them). Remembers the answer; the caller saves the book."""
        fingerprint = self.fingerprint(key)
        ids = set(key_ids) if key_ids is not None else set()
        account = self.keys.get(fingerprint) or self._by_key_ids(ids)
        notice = None
        if account is None:
            account, notice = self._new_account(ids, legacy_key_ids)
        self.accounts[account].key_ids |= ids
        self.keys[fingerprint] = account
        self.current = account
        return Placement(self.files_of(account), notice)

    def _by_key_ids(self, ids: set[str]) -> str | None:
        return next((name for name, r in self.accounts.items() if r.key_ids & ids), None)

    def _new_account(
        self, ids: set[str], legacy_key_ids: Callable[[], set[str]]
    ) -> tuple[str, str | None]:
        account = secrets.token_hex(4)
        legacy = place_digest(self.profile, self.base_url)
        taken = any(r.digest == legacy for r in self.accounts.values())
        adopts = not taken and bool(ids) and bool(ids & legacy_key_ids())
        self.accounts[account] = _Record(legacy if adopts else f"{legacy}-{account}")
        others = [name for name in self.accounts if name != account]
        notice = (
            f"profile {self.profile}'s key belongs to another Venice account than before: its "
            "numbers are kept apart (a new archive and cache beside the other account's)"
            if others
            else None
        )
        return account, notice


def book_path(profile: str, base_url: str) -> Path:
    return Path(book_file(profile, base_url))


def demo_files(profile: str = "demo") -> AccountFiles:
    """The demo's (each demo fleet account's own): its archive is in memory and nothing else
    of it is written."""
    return AccountFiles(profile, "demo", profile, profile, on_disk=False)
