"""`config.toml` in the user config dir: the default profile and the profiles in use. No secrets."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from venice_tui.core.paths import config_dir, display_path, read_small_file, write_private_file

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

CONFIG_NAME = "config.toml"
NEW_CONFIG_HEADER = (
    "# venice-tui settings (README: Configuration). API keys are never stored here.\n"
)


MAX_CONFIG_BYTES = 1024 * 1024
_PROFILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
PROFILE_RULE = "letters, digits, '.', '_' or '-' (at most 64)"
TOO_DEEP = "has arrays or inline tables nested too deeply to be read"


@dataclass
class Config:
    default_profile: str | None = None
    #: Profiles that have (or had) a key in the keyring, which cannot list its own entries.
    profiles: list[str] = field(default_factory=list)
    #: What was wrong with the file, one line each (naming the file and the key); the tool
    #: starts anyway, with defaults in place of what was wrong.
    problems: list[str] = field(default_factory=list)
    #: The whole file as read (budgets and alerts are read from it per profile).
    data: dict[str, Any] = field(default_factory=dict)
    #: `[profile.<name>] base_url`: the server a profile's account lives on (checked when used).
    base_urls: dict[str, str] = field(default_factory=dict)


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def is_valid_profile(name: str) -> bool:
    return bool(_PROFILE_RE.fullmatch(name))


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    shown = display_path(path)
    try:
        data = tomllib.loads(read_small_file(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        return Config(problems=[f"{shown}: cannot be read ({exc.strerror}); defaults apply"])
    except UnicodeDecodeError:
        return Config(problems=[f"{shown}: is not UTF-8 text; defaults apply"])
    except tomllib.TOMLDecodeError as exc:
        return Config(problems=[f"{shown}: is not valid TOML ({exc}); defaults apply"])
    except RecursionError:  # tomllib recurses once per nested array or inline table
        return Config(problems=[f"{shown}: {TOO_DEEP}; defaults apply"])
    config = Config(data=data)
    default = data.get("default_profile")
    if default is not None:
        if isinstance(default, str) and is_valid_profile(default):
            config.default_profile = default
        else:
            config.problems.append(
                f"{shown}: default_profile = {default!r} is not a profile name: use {PROFILE_RULE}"
            )
    profiles = data.get("profiles", [])
    if not isinstance(profiles, list):
        profiles = [profiles]
    for name in profiles:
        if isinstance(name, str) and is_valid_profile(name):
            config.profiles.append(name)
        else:
            config.problems.append(
                f"{shown}: profiles has {name!r}, which is not a profile name: use {PROFILE_RULE}"
            )
    _read_base_urls(config, shown)
    return config


def _read_base_urls(config: Config, shown: str) -> None:
    tables = config.data.get("profile", {})
    if not isinstance(tables, dict):
        config.problems.append(f"{shown}: profile must be a table of [profile.<name>] tables")
        return
    for name, table in tables.items():
        url = table.get("base_url") if isinstance(table, dict) else None
        if isinstance(url, str):
            config.base_urls[name] = url
        elif url is not None or not isinstance(table, dict):
            config.problems.append(
                f'{shown}: profile.{name} must be a table like {{ base_url = "https://…" }}'
            )


class ConfigWriteError(OSError):
    """config.toml could not be changed; it was left as it was."""


def edit_config(change: Callable[[TOMLDocument], None], path: Path | None = None) -> Path:
    """Apply `change` to config.toml and write it back atomically, keeping the person's
    comments, order and keys we do not know. A file that is not valid TOML is not touched."""
    import tomlkit

    path = path or config_path()
    try:
        text = read_small_file(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        text = NEW_CONFIG_HEADER
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigWriteError(0, f"{display_path(path)} cannot be read ({exc})") from None
    try:
        document = tomlkit.parse(text)
    except RecursionError:
        raise ConfigWriteError(
            0, f"{display_path(path)} {TOO_DEEP}; fix it first, nothing was changed"
        ) from None
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigWriteError(
            0, f"{display_path(path)} is not valid TOML ({exc}); fix it first, nothing was changed"
        ) from None
    change(document)
    write_private_file(path, tomlkit.dumps(document).encode())
    return path


def remember_profile(profile: str) -> None:
    if profile not in load_config().profiles:
        edit_config(lambda doc: _set_profiles(doc, lambda names: [*names, profile]))


def forget_profile(profile: str) -> None:
    if profile in load_config().profiles:
        edit_config(
            lambda doc: _set_profiles(doc, lambda names: [n for n in names if n != profile])
        )


def _set_profiles(document: TOMLDocument, change: Callable[[list[str]], list[str]]) -> None:
    current = document.get("profiles")
    names = [str(n) for n in current] if isinstance(current, list) else []
    document["profiles"] = sorted(set(change(names)))
