"""Local files as a hostile or broken machine has them: FIFOs, devices, huge files, loose
permissions, symlinked folders, odd profile names, and the small state the dashboard keeps."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import cli_env
from venice_tui.api.endpoint import validate_base_url
from venice_tui.api.errors import ConfigError
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.core import key_file, ui_state
from venice_tui.core.config import load_config
from venice_tui.core.credentials import find_key
from venice_tui.core.paths import UnreadableFileError, read_small_file, write_private_file


def read_in_thread(path: Path, limit: int = 1024) -> object:
    """Reads `path` on a thread and fails the test (instead of hanging it) after 5 s."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(read_small_file(path, limit))
        except OSError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5)
    assert outcome, f"reading {path} hung"
    return outcome[0]


def test_a_fifo_a_device_and_a_huge_file_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    refused = read_in_thread(fifo)
    assert isinstance(refused, UnreadableFileError) and "not a regular file" in str(refused)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    refused = read_in_thread(zero)
    assert isinstance(refused, UnreadableFileError)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    refused = read_in_thread(big)
    assert isinstance(refused, UnreadableFileError) and "larger than" in str(refused)
    fine = tmp_path / "fine"
    fine.write_bytes(b"ok")
    assert read_in_thread(fine) == b"ok"


def test_a_fifo_as_config_is_one_line_and_defaults(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path))
    os.mkfifo(tmp_path / "config.toml")
    config = load_config()
    assert config.default_profile is None
    assert config.problems and "not a regular file" in config.problems[0]


def test_a_fifo_in_place_of_the_cache_does_not_hang_report_offline(
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    env = cli_env(VENICE_API_KEY="sk-admin-0123456789abcdef")
    from venice_tui.api.secret import ApiKey
    from venice_tui.core.identity import AccountBook
    from venice_tui.core.snapshot_cache import SnapshotCache

    monkeypatch.setenv("VENICE_TUI_DATA_DIR", env["VENICE_TUI_DATA_DIR"])
    book = AccountBook("default", "https://api.venice.ai/api/v1")
    files = book.place(ApiKey(env["VENICE_API_KEY"]), ["key-1"]).files  # the key used before
    book.save()
    cache_dir = Path(env["VENICE_TUI_CACHE_DIR"]) / "snapshots"
    cache_dir.mkdir(parents=True)
    path = SnapshotCache(files, cache_dir).path_for(Period.lookback(7))
    os.mkfifo(path)
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--offline"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert result.returncode == 1
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_bad_profile_names_in_config_are_named_and_skipped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text(
        'default_profile = "../../etc"\nprofiles = ["work", "bad name", 3]\n'
    )
    config = load_config()
    assert config.default_profile is None and config.profiles == ["work"]
    assert len(config.problems) == 3
    assert all("config.toml" in p and "use letters" in p for p in config.problems)


def test_the_cli_says_what_is_wrong_with_the_config_and_goes_on(tmp_path: Path) -> None:
    env = cli_env()
    config = Path(env["VENICE_TUI_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text('default_profile = "bad name"\n')
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--demo", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0
    assert "warning:" in result.stderr and "default_profile" in result.stderr


def test_a_key_file_others_can_read_is_warned_about(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path))
    path = key_file.store_key("default", "sk-admin-0123456789abcdef")
    assert find_key("default", {}).warning is None  # type: ignore[union-attr]
    path.chmod(0o644)
    found = find_key("default", {})
    assert found is not None and found.warning is not None
    assert "0644" in found.warning and "chmod 600" in found.warning
    assert "sk-admin" not in found.warning


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("sk-admin-\x1b[2J-0123456789", "printable"),
        ("sk-admin-\x00-0123456789", "printable"),
        ("k" * 300, "longer than any API key"),
    ],
)
def test_keys_with_control_characters_or_far_too_long_are_refused(value: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        ApiKey(value)


def test_a_symlinked_cache_folder_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "shared"
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    link = tmp_path / "cache"
    link.symlink_to(target)
    write_private_file(link / "file", b"data")
    assert (target.stat().st_mode & 0o777) == 0o755
    assert ((target / "file").stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("https://api.venice.ai/api/v1\r\nX-Evil: 1", "control characters"),
        ("http://127.0.0.1:8080/api/v1\n", "control characters"),
        ("http://evil.localhost/api/v1", "refusing plain http"),
    ],
)
def test_base_urls_with_line_breaks_or_fake_loopback_are_refused(url: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        validate_base_url(url)
    assert validate_base_url("http://localhost:8080/api/v1") == "http://localhost:8080/api/v1"
    assert validate_base_url("http://[::1]:8080/api/v1").startswith("http://[::1]")


def test_a_line_break_in_base_url_is_exit_2_before_any_request() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--base-url", "https://x.invalid\r\n"],
        capture_output=True,
        text=True,
        env=cli_env(VENICE_API_KEY="sk-admin-0123456789abcdef"),
        timeout=30,
    )
    assert result.returncode == 2 and "control characters" in result.stderr


def test_theme_and_period_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "dashboard.json"
    assert ui_state.load(path) == ui_state.UiState()
    ui_state.remember(theme="nord", path=path)
    ui_state.remember(period=Period.lookback(30), path=path)
    assert ui_state.load(path) == ui_state.UiState("nord", Period.lookback(30))
    ui_state.remember(period=Period.between(date(2026, 11, 1), date(2026, 11, 3)), path=path)
    assert ui_state.load(path).period == Period.lookback(30)
    path.write_text("{not json")
    assert ui_state.load(path) == ui_state.UiState()


def test_the_dashboard_opens_on_the_remembered_period(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from venice_tui.core.settings import Settings
    from venice_tui.demo.connection import DemoConnection
    from venice_tui.ui.run import build_app

    monkeypatch.setenv("VENICE_TUI_STATE_DIR", str(tmp_path))
    ui_state.remember(period=Period.lookback(90))
    settings = Settings(base_url="https://api.venice.ai/api/v1", profile="default", demo=True)
    demo = DemoConnection.standard()
    assert build_app(settings, demo, None, 60, remember=True).store.period == Period.lookback(90)
    chosen = build_app(settings, demo, Period.lookback(7), 60, remember=True)
    assert chosen.store.period == Period.lookback(7)
    assert build_app(settings, demo, None, 60).store.period == Period.default()


def test_config_edits_keep_comments_order_and_unknown_keys(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from venice_tui.core.config import (
        ConfigWriteError,
        edit_config,
        forget_profile,
        remember_profile,
    )

    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path))
    path = tmp_path / "config.toml"
    path.write_text('# mine\ndefault_profile = "work"  # usual\n\n[later]\nkeep = true\n')
    remember_profile("work")
    remember_profile("play")
    forget_profile("work")
    text = path.read_text()
    assert text.startswith('# mine\ndefault_profile = "work"  # usual\n')
    assert 'profiles = ["play"]' in text and "[later]\nkeep = true" in text
    assert (path.stat().st_mode & 0o777) == 0o600
    path.write_text("not = [valid")
    with pytest.raises(ConfigWriteError, match="not valid TOML"):
        edit_config(lambda doc: None)
    assert path.read_text() == "not = [valid"  # left as it was
