from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

FIXED_NOW = "2026-11-25T15:30:00+00:00"


@dataclass
class DemoServerProcess:
    process: subprocess.Popen[str]
    base_url: str

    @property
    def root(self) -> str:
        return self.base_url.removesuffix("/api/v1")

    def fault(
        self, mode: str, count: int | None = None, path: str | None = None, key: str | None = None
    ) -> None:
        query = (
            f"mode={mode}"
            + (f"&count={count}" if count else "")
            + (f"&path={path}" if path else "")
            + (f"&key={key}" if key else "")
        )
        request = urllib.request.Request(
            f"{self.root}/_demo/fault?{query}", method="POST", data=b""
        )
        urllib.request.urlopen(request, timeout=5).read()

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.root}/_demo/stats", timeout=5) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result

    def usage(self, query: str, key: str = "sk-test-admin") -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.base_url}/billing/usage-analytics?{query}",
            headers={"Authorization": f"Bearer {key}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result


def start_demo_server(*extra: str) -> DemoServerProcess:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "venice_tui",
            "demo-server",
            "--port",
            "0",
            "--now",
            FIXED_NOW,
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("demo server: "):
        process.kill()
        raise RuntimeError(
            f"demo server did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
        )
    return DemoServerProcess(process, line.split()[2])


@pytest.fixture
def demo_server() -> Iterator[DemoServerProcess]:
    server = start_demo_server()
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a CLI subprocess: no VENICE_* from the developer's shell, no real
    keyring, and config and cache folders of its own (never the developer's home)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENICE_")}
    scratch = tempfile.mkdtemp(prefix="venice-tui-test-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # gone with the test run
    env.update(
        VENICE_TUI_CONFIG_DIR=f"{scratch}/config",
        VENICE_TUI_CACHE_DIR=f"{scratch}/cache",
        VENICE_TUI_STATE_DIR=f"{scratch}/state",
        VENICE_TUI_DATA_DIR=f"{scratch}/data",
        VENICE_TUI_ASCII="0",
        # The demo server's day: a run after midnight UTC must not see a day it has no data for.
        VENICE_TUI_NOW=FIXED_NOW,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def no_real_home(tmp_path_factory, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """In-process tests never touch the developer's keyring, config or cache either."""
    import keyring
    from keyring.backends import fail

    scratch = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(scratch / "config"))
    monkeypatch.setenv("VENICE_TUI_CACHE_DIR", str(scratch / "cache"))
    monkeypatch.setenv("VENICE_TUI_STATE_DIR", str(scratch / "state"))
    monkeypatch.setenv("VENICE_TUI_DATA_DIR", str(scratch / "data"))
    monkeypatch.setenv("VENICE_TUI_NOW", FIXED_NOW)  # the demo server's day, after midnight too
    for name in ("VENICE_API_KEY", "VENICE_PROFILE", "VENICE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
