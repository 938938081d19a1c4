"""The real TUI in tmux, read from the screen as a person would (its own tmux server)."""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid

from tests.conftest import DemoServerProcess, cli_env

KEY = "sk-admin-tmux-0123456789SECRET"
#: A tmux server of the tests' own, apart from any the developer has open.
TMUX = ["tmux", "-L", "venice-tui-tests", "-f", "/dev/null"]


class Pane:
    def __init__(
        self, command: str, env: dict[str, str], width: int = 120, height: int = 36
    ) -> None:
        self.name = f"venice-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        script = f"env -i {exports} {command}; echo EXIT=$?; sleep 30"
        subprocess.run(
            [
                *TMUX,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                script,
            ],
            check=True,
        )

    def screen(self) -> str:
        result = subprocess.run(
            [*TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never went away; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True)


def open_tui(
    server: DemoServerProcess,
    *args: str,
    width: int = 120,
    height: int = 36,
    **extra_env: str,
) -> Pane:
    """The real TUI (30 days unless `args` say otherwise) against `server`, in a pane of its
    own with a clean environment."""
    env = cli_env(
        VENICE_API_KEY=KEY, VENICE_BASE_URL=server.base_url, TERM="xterm-256color", **extra_env
    )
    kept = ("VENICE", "PYTHON_KEYRING", "TERM", "PATH", "HOME", "NO_COLOR", "LANG", "LC_")
    env = {k: v for k, v in env.items() if k.startswith(kept)}
    command = " ".join(
        shlex.quote(a)
        for a in (sys.executable, "-m", "venice_tui", *(args or ("--lookback", "30d")))
    )
    return Pane(command, env, width, height)
