"""The few file operations a status bar needs, on plain strings: no `pathlib`, no `platformdirs`
on Linux (each costs a `statusline` milliseconds it is measured by). `paths` builds on these."""

from __future__ import annotations

import os
import stat
import sys

MYPY = False
if MYPY:  # no runtime import of `typing` or `pathlib`
    from pathlib import Path

APP_NAME = "venice-tui"


def cache_folder() -> str:
    return _user_folder("VENICE_TUI_CACHE_DIR", "XDG_CACHE_HOME", "~/.cache", "user_cache_dir")


def data_folder() -> str:
    """Data worth keeping (the archive, the accounts' book)."""
    return _user_folder("VENICE_TUI_DATA_DIR", "XDG_DATA_HOME", "~/.local/share", "user_data_dir")


def _user_folder(override: str, xdg: str, linux_default: str, platformdirs_name: str) -> str:
    """Ours when the environment says so; on Linux platformdirs' rule without its import."""
    chosen = os.environ.get(override)
    if chosen:
        return chosen
    if sys.platform.startswith("linux"):
        base = os.environ.get(xdg, "").strip() or os.path.expanduser(linux_default)
        return os.path.join(base, APP_NAME)
    import platformdirs

    folder: str = getattr(platformdirs, platformdirs_name)(APP_NAME, appauthor=False)
    return folder


#: The accounts seen under a profile (see `core.identity`).
MAX_BOOK_BYTES = 1024 * 1024


def place_digest(profile: str, base_url: str) -> str:
    """The name of a profile and server: the file of its accounts' book, and the files kept
    before accounts were told apart."""
    import hashlib

    return hashlib.sha256(f"{profile}\n{base_url}".encode()).hexdigest()[:16]


def book_file(profile: str, base_url: str) -> str:
    return os.path.join(data_folder(), "accounts", f"{place_digest(profile, base_url)}.json")


def current_account_digest(profile: str, base_url: str) -> str | None:
    """The file name of the account the profile showed last, read without looking up a key
    (the status bar's hot path); None before any account was placed."""
    import json

    try:
        data = json.loads(read_small_file(book_file(profile, base_url), MAX_BOOK_BYTES))
        digest = data["accounts"][data["current"]]["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return digest if isinstance(digest, str) else None


class UnreadableFileError(OSError):
    """A file that is there but must not be read: not a regular file, or far too large."""


def read_small_file(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    A FIFO, a device (`/dev/zero`) or a socket in place of a config or cache file would hang
    the reader or fill its memory: those are refused without reading, as is anything larger
    than `limit`. Raises FileNotFoundError when there is no file, UnreadableFileError (an
    OSError whose `strerror` says why) when it must not be read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(0, "not a regular file", str(path))
        if info.st_size > limit:
            raise UnreadableFileError(0, f"larger than {limit:,} bytes", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnreadableFileError(0, f"larger than {limit:,} bytes", str(path))
    return data
