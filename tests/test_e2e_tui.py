"""The real TUI in tmux against the loopback demo-server, read from the screen as a person would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import DemoServerProcess
from tests.tmux import KEY as TMUX_KEY
from tests.tmux import TMUX, Pane, open_tui

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
    ),
]
KEY = TMUX_KEY


@pytest.fixture
def tui(demo_server: DemoServerProcess) -> Iterator[Pane]:
    pane = open_tui(demo_server)
    try:
        yield pane
    finally:
        pane.close()


def test_a_person_can_use_the_dashboard(tui: Pane, demo_server: DemoServerProcess) -> None:
    raw = demo_server.usage("lookback=30d")
    total_usd = sum(row["USD"] for row in raw["byDate"])
    screen = tui.wait_for("USD spent")
    screen = tui.wait_for(f"${total_usd:,.2f}")
    assert "live · updated" in screen and "30d" in screen
    tui.wait_for("Daily spend")
    tui.keys("2")
    screen = tui.wait_for("Cache Read")
    assert "GLM 5.1" in screen and "Whisper Large V3" in screen
    tui.keys("3")
    screen = tui.wait_for("Web App")
    assert "Production API" in screen
    tui.keys("1")
    tui.wait_for("USD spent")
    tui.keys("?")
    tui.wait_for("What the numbers mean")
    tui.keys("Escape")
    tui.wait_gone("What the numbers mean")  # Escape and q sent together would read as Alt+q
    tui.keys("q")
    screen = tui.wait_for("EXIT=")
    assert "EXIT=0" in screen
    assert KEY not in screen


def test_server_faults_keep_the_data_on_screen(tui: Pane, demo_server: DemoServerProcess) -> None:
    tui.wait_for("USD spent")
    tui.wait_for("live · updated")
    demo_server.fault("502-html")
    tui.keys("r")
    tui.wait_for("HTML error page")
    screen = tui.wait_for("retry in")
    assert "USD spent" in screen and "HTML error page" in screen
    demo_server.fault("none")
    deadline = time.monotonic() + 20
    while "✗" in tui.screen() and time.monotonic() < deadline:
        tui.keys("r")  # `r` within a second of the last one is ignored: press until it counts
        time.sleep(0.3)
    assert "✗" not in tui.screen()
    tui.keys("q")
    assert "EXIT=0" in tui.wait_for("EXIT=")


def _pane_python_pid(pane: Pane) -> int:
    shell = subprocess.run(
        [*TMUX, "list-panes", "-t", pane.name, "-F", "#{pane_pid}"], capture_output=True, text=True
    ).stdout.split()[0]
    for _ in range(50):
        children = subprocess.run(
            ["pgrep", "-P", shell], capture_output=True, text=True
        ).stdout.split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("the TUI process was not found")


@pytest.mark.parametrize("how", ["q", "C-c", "SIGTERM"])
def test_quits_within_a_second_while_a_request_hangs(
    demo_server: DemoServerProcess, how: str
) -> None:
    demo_server.fault("hang")
    pane = open_tui(demo_server)
    try:
        pane.wait_for("Fetching usage for 30d")
        deadline = time.monotonic() + 10
        while demo_server.stats()["in_flight"] < 1:  # the request is out and hanging
            assert time.monotonic() < deadline
            time.sleep(0.05)
        started = time.monotonic()
        if how == "SIGTERM":
            os.kill(_pane_python_pid(pane), signal.SIGTERM)
        else:
            pane.keys(how)
        screen = pane.wait_for("EXIT=", timeout=5)
        assert time.monotonic() - started < 2.0  # about 0.3 s here; slack for a loaded CI machine
        assert "EXIT=0" in screen  # a clean exit: the terminal is restored
        assert "Traceback" not in screen
    finally:
        pane.close()
