"""`config.toml` in the user config dir: the default profile and the profiles in use. No secrets."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from venice_tui.core.paths import config_dir, display_path, read_small_file, write_private_file

CONFIG_NAME = "config.toml"


MAX_CONFIG_BYTES = 1024 * 1024
_PROFILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PROFILE_RULE = "letters, digits, '.', '_' or '-' (at most 64)"


@dataclass
class Config:
    default_profile: str | None = None
    #: Profiles that have (or had) a key in the keyring, which cannot list its own entries.
    profiles: list[str] = field(default_factory=list)
    #: What was wrong with the file, one line each (naming the file and the key); the tool
    #: starts anyway, with defaults in place of what was wrong.
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def is_valid_profile(name: str) -> bool:
    return bool(_PROFILE_RE.match(name))


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
    config = Config()
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
    return config


def save_config(config: Config, path: Path | None = None) -> None:
    lines = ["# venice-tui settings. API keys are never stored here."]
    if config.default_profile:
        lines.append(f"default_profile = {json.dumps(config.default_profile)}")
    lines.append(f"profiles = [{', '.join(json.dumps(p) for p in sorted(set(config.profiles)))}]")
    write_private_file(path or config_path(), ("\n".join(lines) + "\n").encode())


def remember_profile(profile: str) -> None:
    config = load_config()
    if profile not in config.profiles:
        config.profiles.append(profile)
        save_config(config)


def forget_profile(profile: str) -> None:
    config = load_config()
    if profile in config.profiles:
        config.profiles.remove(profile)
        save_config(config)
