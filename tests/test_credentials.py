"""Keys in the keyring, the plaintext fallback file, profiles and the order keys are looked up."""

from __future__ import annotations

import io
import os
import stat
import time
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail, null

from tests.fake_keyring import HangingKeyring, MemoryKeyring
from venice_tui.api.errors import AuthError, NetworkError
from venice_tui.api.secret import ApiKey
from venice_tui.commands import auth as auth_command
from venice_tui.core import key_file, keyring_store
from venice_tui.core.config import edit_config, load_config
from venice_tui.core.credentials import KeySource, find_key, resolve_profile
from venice_tui.core.settings import Settings

SECRET = "sk-admin-credentials-0123456789"


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch) -> Iterator[object]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VENICE_API_KEY", raising=False)
    monkeypatch.delenv("VENICE_PROFILE", raising=False)
    previous = keyring.get_keyring()
    yield tmp_path / "config"
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def settings(profile: str = "default") -> Settings:
    return Settings(base_url="https://api.venice.ai/api/v1", profile=profile)


def test_a_real_backend_is_usable(memory_keyring: MemoryKeyring) -> None:
    status = keyring_store.probe()
    assert status.usable and "MemoryKeyring" in status.backend


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_fail_and_null_backends_are_not(backend: object) -> None:
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    status = keyring_store.probe()
    assert not status.usable and status.reason


def test_a_hanging_keyring_is_given_up_on_in_time() -> None:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    started = time.monotonic()
    status = keyring_store.probe(timeout=0.3)
    assert time.monotonic() - started < 2
    assert not status.usable and "did not answer" in status.reason
    backend.release.set()


def test_environment_wins_then_keyring_then_file(memory_keyring: MemoryKeyring) -> None:
    key_file.store_key("default", "sk-file-key-000000000")
    assert find_key("default", {}).source is KeySource.FILE  # type: ignore[union-attr]
    keyring_store.put("default", "sk-keyring-key-0000000")
    found = find_key("default", {})
    assert found is not None and found.source is KeySource.KEYRING
    assert found.key.reveal() == "sk-keyring-key-0000000"
    found = find_key("default", {"VENICE_API_KEY": SECRET})
    assert (
        found is not None and found.source is KeySource.ENVIRONMENT and found.key.reveal() == SECRET
    )


def test_no_key_anywhere() -> None:
    keyring.set_keyring(fail.Keyring())
    assert find_key("default", {}) is None


def test_the_plaintext_file_is_0600_in_a_0700_folder(config_dir) -> None:  # type: ignore[no-untyped-def]
    path = key_file.store_key("work", SECRET)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert key_file.read_keys() == {"work": SECRET}
    key_file.store_key("home", "sk-other-key-1111111")
    assert key_file.read_keys() == {"work": SECRET, "home": "sk-other-key-1111111"}
    assert "PLAIN TEXT" in path.read_text()
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert key_file.remove_key("work") and not key_file.remove_key("work")
    assert key_file.remove_key("home") and not path.exists()


def test_profiles_come_from_option_env_config_then_default() -> None:
    assert resolve_profile(None, {}) == "default"
    edit_config(lambda doc: doc.update({"default_profile": "team"}))
    assert resolve_profile(None, {}) == "team"
    assert resolve_profile(None, {"VENICE_PROFILE": "ci"}) == "ci"
    assert resolve_profile("mine", {"VENICE_PROFILE": "ci"}) == "mine"


def _accepted(key: ApiKey, base_url: str) -> None:
    return None


def _refused(key: ApiKey, base_url: str) -> None:
    raise AuthError("Admin API key required")


def _offline(key: ApiKey, base_url: str) -> None:
    raise NetworkError("cannot resolve api.venice.ai")


def test_login_stores_in_the_keyring_and_says_where(memory_keyring, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auth_command, "check_key", _accepted)
    assert auth_command.run_login(settings("work"), False, io.StringIO(SECRET + "\n")) == 0
    assert memory_keyring.entries[("venice-tui", "work")] == SECRET
    out = capsys.readouterr()
    assert (
        "system keyring" not in out.err
        and "MemoryKeyring" in out.out
        and SECRET not in out.out + out.err
    )
    assert "work" in load_config().profiles


def test_two_profiles_two_keys_and_logout_removes_one(memory_keyring, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auth_command, "check_key", _accepted)
    auth_command.run_login(settings("a"), False, io.StringIO("sk-admin-aaaaaaaaaaaa1111\n"))
    auth_command.run_login(settings("b"), False, io.StringIO("sk-admin-bbbbbbbbbbbb2222\n"))
    assert find_key("a", {}).key.reveal().endswith("1111")  # type: ignore[union-attr]
    assert find_key("b", {}).key.reveal().endswith("2222")  # type: ignore[union-attr]
    capsys.readouterr()
    auth_command.run_status(settings("a"), {})
    status = capsys.readouterr().out
    assert "••••1111" in status and "••••2222" in status and "aaaa" not in status
    assert auth_command.run_logout(settings("a"), {}) == 0
    assert find_key("a", {}) is None and find_key("b", {}) is not None


def test_a_refused_key_is_not_stored(memory_keyring, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auth_command, "check_key", _refused)
    assert auth_command.run_login(settings(), False, io.StringIO(SECRET)) == 1
    assert memory_keyring.entries == {}
    assert "ADMIN key" in capsys.readouterr().err


def test_offline_login_stores_with_a_warning(memory_keyring, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auth_command, "check_key", _offline)
    assert auth_command.run_login(settings(), False, io.StringIO(SECRET)) == 0
    assert "could not check the key" in capsys.readouterr().err
    assert memory_keyring.entries


def test_without_a_keyring_login_refuses_before_asking(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())
    stdin = io.StringIO(SECRET)
    assert auth_command.run_login(settings(), False, stdin) == 1
    err = capsys.readouterr().err
    assert "--insecure-storage" in err and "VENICE_API_KEY" in err and "nothing was stored" in err
    assert stdin.tell() == 0  # the key was never read
    assert key_file.read_keys() == {}


def test_insecure_storage_warns_and_status_reports_plain_text(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(auth_command, "check_key", _accepted)
    assert auth_command.run_login(settings(), True, io.StringIO(SECRET)) == 0
    assert "PLAIN TEXT" in capsys.readouterr().err
    auth_command.run_status(settings(), {"VENICE_API_KEY": "sk-env-key-9999999999"})
    out = capsys.readouterr().out
    assert "plaintext file" in out and "••••6789" in out
    assert "VENICE_API_KEY is set (••••9999)" in out and "not usable" in out


def test_empty_or_spaced_keys_are_refused(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(auth_command, "check_key", _accepted)
    assert auth_command.run_login(settings(), False, io.StringIO("\n")) == 2
    assert auth_command.run_login(settings(), False, io.StringIO("two words\n")) == 2
    assert memory_keyring.entries == {}
