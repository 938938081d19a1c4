"""The plaintext key file, used only when a person asks for it (`--insecure-storage`).

One TOML file under the user config dir, mode 0600 in a 0700 folder, replaced atomically.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from venice_tui.api.secret import ApiKey
from venice_tui.core.paths import (
    config_dir,
    display_path,
    is_shared_with_others,
    read_small_file,
    write_private_file,
)

KEY_FILE_NAME = "credentials.toml"
HEADER = (
    "venice-tui API keys in PLAIN TEXT, written because you chose --insecure-storage.",
    "Anyone who can read this file can spend from your Venice account.",
)


def key_file_path() -> Path:
    return config_dir() / KEY_FILE_NAME


MAX_KEY_FILE_BYTES = 64 * 1024


def read_keys(path: Path | None = None) -> dict[str, str]:
    """Profile name → key; an unreadable file reads as empty (it is never the only way in)."""
    path = path or key_file_path()
    try:
        data = tomllib.loads(read_small_file(path, MAX_KEY_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return {}
    return {
        name: entry["api_key"]
        for name, entry in profiles.items()
        if isinstance(entry, dict) and _usable_key(entry.get("api_key"))
    }


def _usable_key(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        ApiKey(value)
    except ValueError:
        return False
    return True


def permission_warning(path: Path | None = None) -> str | None:
    """What to say when others may read the key file, as ssh does for private keys."""
    path = path or key_file_path()
    if not is_shared_with_others(path):
        return None
    mode = path.stat().st_mode & 0o777
    return (
        f"{display_path(path)} holds API keys and others may read it (mode {mode:04o}); "
        f"run: chmod 600 {display_path(path)}"
    )


def write_keys(keys: dict[str, str], path: Path | None = None) -> Path:
    import tomlkit

    path = path or key_file_path()
    document = tomlkit.document()
    document.add(tomlkit.comment(HEADER[0]))
    document.add(tomlkit.comment(HEADER[1]))
    profiles = tomlkit.table(is_super_table=True)
    for name in sorted(keys):
        entry = tomlkit.table()
        entry["api_key"] = keys[name]
        profiles[name] = entry
    document["profiles"] = profiles
    write_private_file(path, tomlkit.dumps(document).encode())
    return path


def store_key(profile: str, secret: str) -> Path:
    keys = read_keys()
    keys[profile] = secret
    return write_keys(keys)


def remove_key(profile: str) -> bool:
    keys = read_keys()
    if profile not in keys:
        return False
    del keys[profile]
    path = key_file_path()
    if keys:
        write_keys(keys)
    else:
        path.unlink(missing_ok=True)
    return True
