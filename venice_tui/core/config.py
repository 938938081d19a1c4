"""`config.toml` in the user config dir: the default profile and the profiles in use. No secrets."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from venice_tui.core.paths import config_dir, write_private_file

CONFIG_NAME = "config.toml"


@dataclass
class Config:
    default_profile: str | None = None
    #: Profiles that have (or had) a key in the keyring, which cannot list its own entries.
    profiles: list[str] = field(default_factory=list)


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Config()  # an unreadable config must not stop the tool; defaults apply
    default = data.get("default_profile")
    profiles = data.get("profiles")
    return Config(
        default_profile=default if isinstance(default, str) else None,
        profiles=[p for p in profiles if isinstance(p, str)] if isinstance(profiles, list) else [],
    )


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
