"""What reaches a real terminal: hostile names shown and never obeyed, NO_COLOR and LANG=C in a
real pty or tmux, and keys typed fast on a big account landing where they were aimed."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import DemoServerProcess, cli_env, start_demo_server
from tests.tmux import open_tui

pytestmark = pytest.mark.e2e
KEY = "sk-admin-trust-0123456789SECRET"
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def hostile_server() -> Iterator[DemoServerProcess]:
    server = start_demo_server("--names", "hostile")
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.fixture
def big_server() -> Iterator[DemoServerProcess]:
    server = start_demo_server("--big")
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def unsafe_characters(text: str) -> list[str]:
    """Characters a terminal could act on: C0 except newline, DEL and C1."""
    return sorted(
        {repr(ch) for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F}
    )


@pytest.mark.parametrize("output", ["table", "--json", "--csv"])
def test_report_prints_hostile_names_without_control_characters(
    hostile_server: DemoServerProcess, output: str
) -> None:
    args = [] if output == "table" else [output]
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--lookback", "30d", *args],
        capture_output=True,
        env=cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=hostile_server.base_url),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert unsafe_characters(text) == []
    if output == "--json":
        names = {m["modelName"] for m in json.loads(text)["byModel"]}
        assert "\\x1b]0;PWNED\\x07title" in names  # shown, as what it is
        assert "[/]" in names and "llama-3 [/beta" in names
    if output == "table":
        rows = [line for line in text.splitlines() if "wipe" in line or "lines" in line]
        assert rows, text  # the names are there, each on its own row (no split rows)
        assert all("\\x1b[2Jwipe" in r or "two\\x0alines" in r for r in rows)


class RawPty:
    """A program in a pseudo-terminal; everything it writes is kept, byte for byte."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.output = b""

    def read_until(self, needle: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never came; got {self.output[-2000:]!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 1 << 16)
                except OSError:
                    return

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    self.output += os.read(self.fd, 1 << 16)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the program did not exit")

    def close(self) -> None:
        os.close(self.fd)


def tui_env(server: DemoServerProcess, **extra: str) -> dict[str, str]:
    return cli_env(
        VENICE_API_KEY=KEY,
        VENICE_BASE_URL=server.base_url,
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="36",
        **extra,
    )


def test_escape_sequences_in_names_never_reach_the_terminal(
    hostile_server: DemoServerProcess,
) -> None:
    app = RawPty([sys.executable, "-m", "venice_tui", "-l", "30d"], tui_env(hostile_server))
    try:
        app.read_until(b"USD spent")
        app.read_until(b"PWNED")  # the name is on screen, in its visible form
        for key, mark in ((b"2", b"Cache"), (b"3", b"Limit"), (b"1", b"Daily spend")):
            app.output = b""
            app.send(key)
            app.read_until(mark)
        app.send(b"q")
        assert app.wait() == 0
    finally:
        app.close()
    text = app.output.decode("utf-8", "replace")
    for obeyed in ("\x1b]0;PWNED", "\x1b]52;c;", "\x1b[2Jwipe", "\x9b31m", "\x00", "\u202e"):
        assert obeyed not in text


def test_no_color_starts_shows_data_and_quits_cleanly(demo_server: DemoServerProcess) -> None:
    app = RawPty(
        [sys.executable, "-m", "venice_tui", "-l", "7d"], tui_env(demo_server, NO_COLOR="1")
    )
    try:
        app.read_until(b"USD spent")
        app.read_until(b"live")
        app.send(b"2")
        app.read_until(b"Cache Read")
        app.send(b"q")
        assert app.wait() == 0
    finally:
        app.close()
    assert b"Traceback" not in app.output and b"Error" not in app.output


@needs_tmux
def test_lang_c_draws_in_ascii(demo_server: DemoServerProcess) -> None:
    pane = open_tui(demo_server, "-l", "7d", LANG="C", LC_ALL="C", VENICE_TUI_ASCII="")
    try:
        screen = pane.wait_for("USD spent")
        screen = pane.wait_for("Daily spend")
        screen = pane.wait_for("live")
        assert all(ord(ch) < 128 for ch in screen), sorted({ch for ch in screen if ord(ch) >= 128})
        pane.keys("q")
        assert "EXIT=0" in pane.wait_for("EXIT=")
    finally:
        pane.close()


@needs_tmux
def test_keys_typed_at_once_on_a_big_account_land_where_aimed(
    big_server: DemoServerProcess,
) -> None:
    pane = open_tui(big_server, "-l", "90d")
    try:
        pane.wait_for("live ·", timeout=60)
        pane.keys("3", "/", *"service-0123")
        screen = pane.wait_for("id 0000007b-", timeout=30)  # service-0123's detail
        assert "service-0123" in screen
        assert "1 Overview" in screen
        pane.keys("Escape")  # alone: Escape followed at once by a key reads as Alt+key
        pane.wait_for("service-0097", timeout=15)  # the filter is cleared: every key is back
        pane.keys("2", "q")
        assert "EXIT=0" in pane.wait_for("EXIT=", timeout=15)
    finally:
        pane.close()


@needs_tmux
def test_two_then_q_quits_while_models_opens(big_server: DemoServerProcess) -> None:
    pane = open_tui(big_server, "-l", "90d")
    try:
        pane.wait_for("live ·", timeout=60)
        pane.keys("2", "q")
        screen = pane.wait_for("EXIT=", timeout=15)
        assert "EXIT=0" in screen and "Traceback" not in screen
    finally:
        pane.close()
