"""Where venice-tui keeps files: the user config and cache dirs (overridable for tests)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from venice_tui.core.fs import (
    APP_NAME,
    UnreadableFileError,
    cache_folder,
    data_folder,
    read_small_file,
)

__all__ = ["UnreadableFileError", "read_small_file"]


def config_dir() -> Path:
    override = os.environ.get("VENICE_TUI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(cache_folder())


def is_shared_with_others(path: Path) -> bool:
    """True when the group or others may read or write `path` (what ssh warns about)."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


def state_dir() -> Path:
    """Small things remembered between runs (the dashboard's theme and period)."""
    override = os.environ.get("VENICE_TUI_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Data worth keeping (the local archive)."""
    return Path(data_folder())


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make it 0700: only its owner may list or enter it.

    A folder that is a symbolic link is left as it is: its target may be shared (a cache
    folder pointed at /tmp) and changing its mode is not ours to do.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.is_symlink():
        os.chmod(path, 0o700)
    return path


def write_private_file(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data`, mode 0600, in a 0700 folder.

    The temporary file is created 0600 from the start (never world-readable, not even briefly)
    and renamed over the target, so a crash leaves either the old file or the new one.
    """
    ensure_private_dir(path.parent)
    _replace(path, data, 0o600)


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace a file the person asked for (an export, a report) with `data`, atomically: a
    reader sees the old file or the new one, never half. The folder must exist."""
    _replace(path, data, mode)


def _replace(path: Path, data: bytes, mode: int) -> None:
    """Write `data` to a new temporary file beside `path`, give it `mode` and rename it over
    `path`. Every file venice-tui writes goes through here.

    The temporary file has an unpredictable name and is created exclusively (`mkstemp`:
    O_CREAT | O_EXCL, 0600), so a link planted in a shared folder is never followed, never
    truncated and never given our mode; the mode is set on the descriptor, not on a name. A
    link at `path` itself is replaced by the file, its target left alone.
    """
    import tempfile  # only when a file is written: not on every start

    folder = path.parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system lets a folder be synced)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def display_path(path: Path) -> str:
    """`~/.config/venice-tui/…` rather than the full home folder: shorter, and no user name."""
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home) :] if home != "/" and text.startswith(home + os.sep) else text
