"""`venice-tui auth …` as a person runs it: real processes, a keyring shared between them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]
KEY_A = "sk-admin-profile-a-000000001111"
KEY_B = "sk-admin-profile-b-000000002222"


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )


def with_keyring(tmp_path: Path, server: DemoServerProcess) -> dict[str, str]:
    return cli_env(
        VENICE_TUI_CONFIG_DIR=str(tmp_path / "config"),
        VENICE_BASE_URL=server.base_url,
        PYTHON_KEYRING_BACKEND="tests.fake_keyring.FileKeyring",
        FAKE_KEYRING_FILE=str(tmp_path / "keyring.json"),
        PYTHONPATH=str(ROOT),
    )


def test_keyring_login_then_every_command_works_without_the_env_var(
    tmp_path: Path, demo_server: DemoServerProcess
) -> None:
    env = with_keyring(tmp_path, demo_server)
    login_a = run(["auth", "login"], env, KEY_A + "\n")
    assert login_a.returncode == 0, login_a.stderr
    assert "FileKeyring" in login_a.stdout and KEY_A not in login_a.stdout + login_a.stderr
    login_b = run(["auth", "login", "--profile", "b"], env, KEY_B + "\n")
    assert login_b.returncode == 0, login_b.stderr
    report = run(["report", "--json", "-l", "3d"], env)
    assert report.returncode == 0, report.stderr
    assert len(json.loads(report.stdout)["byDate"]) == 3
    status = run(["auth", "status"], env)
    assert "••••1111" in status.stdout and "••••2222" in status.stdout
    assert KEY_A not in status.stdout and KEY_B not in status.stdout
    stored = json.loads((tmp_path / "keyring.json").read_text())
    assert stored == {"venice-tui/default": KEY_A, "venice-tui/b": KEY_B}
    logout = run(["auth", "logout", "--profile", "b"], env)
    assert logout.returncode == 0 and "Removed" in logout.stdout
    assert json.loads((tmp_path / "keyring.json").read_text()) == {"venice-tui/default": KEY_A}
    assert run(["report", "--profile", "b"], env).returncode == 1
    # No file the tool wrote holds a key, apart from the (fake) keyring itself.
    for path in (tmp_path / "config").rglob("*"):
        assert KEY_A not in path.read_text() and KEY_B not in path.read_text()


def test_headless_login_refuses_then_insecure_storage_writes_one_private_file(
    tmp_path: Path, demo_server: DemoServerProcess
) -> None:
    env = cli_env(
        VENICE_TUI_CONFIG_DIR=str(tmp_path / "config"), VENICE_BASE_URL=demo_server.base_url
    )
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    refused = run(["auth", "login"], env, KEY_A + "\n")
    assert refused.returncode == 1
    assert "--insecure-storage" in refused.stderr and "VENICE_API_KEY" in refused.stderr
    assert not (tmp_path / "config" / "credentials.toml").exists()
    stored = run(["auth", "login", "--insecure-storage"], env, KEY_A + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "PLAIN TEXT" in stored.stderr
    path = tmp_path / "config" / "credentials.toml"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert "plaintext file" in run(["auth", "status"], env).stdout
    assert run(["report", "-l", "1d"], env).returncode == 0


def test_a_refused_key_stores_nothing(tmp_path: Path, demo_server: DemoServerProcess) -> None:
    env = with_keyring(tmp_path, demo_server)
    result = run(["auth", "login"], env, "inference-key-0123456789\n")
    assert result.returncode == 1 and "ADMIN key" in result.stderr
    assert not (tmp_path / "keyring.json").exists()
