"""`venice-tui serve` over loopback: the page is served, a websocket session starts the real
dashboard and draws the Overview (as a browser's xterm.js would receive it), requests for
another host or from another site's page are refused, and a non-loopback host needs --expose."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DemoServerProcess, cli_env
from tests.serve_support import Served, draw, request

pytestmark = pytest.mark.e2e
KEY = "sk-admin-serve-0123456789SECRET"


@pytest.fixture
def served() -> Iterator[Served]:
    server = Served("--demo")
    yield server
    if server.process.poll() is None:
        server.stop()


def test_the_page_is_served_and_a_session_draws_the_overview(served: Served) -> None:
    cookie = request(served.url, f"/?token={served.token}")[1]["set-cookie"].split(";")[0]
    status, _, page = request(served.url, "/", {"Cookie": cookie})
    assert status == 200 and f"ws://127.0.0.1:{served.port}/ws" in page
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:  # the terminal emulator the page runs, its style, and ours
        assert request(served.url, asset, {"Cookie": cookie})[0] == 200, asset
    text = asyncio.run(draw(served, "USD spent", origin=served.url))
    assert "Overview" in text and "demo data" in text
    code, err = served.stop()
    assert code == 0 and "Traceback" not in err


def test_another_host_or_another_sites_page_is_refused(served: Served) -> None:
    login = f"/?token={served.token}"
    assert request(served.url, login, {"Host": f"rebound.example:{served.port}"})[0] == 403
    ws = f"/ws?token={served.token}"
    assert request(served.url, ws, {"Origin": "http://evil.example"})[0] == 403
    assert request(served.url, login, {"Host": f"localhost:{served.port}"})[0] == 303


def test_a_live_profile_is_served_without_its_key_on_any_command_line(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=demo_server.base_url)
    server = Served(env=env)
    try:
        text = asyncio.run(draw(server, "USD spent"))
        assert "profile default" in text and KEY not in text
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                assert KEY.encode() not in cmdline.read_bytes()
            except OSError:
                continue
    finally:
        _, err = server.stop()
    assert KEY not in err and "Traceback" not in err


def test_a_non_loopback_host_is_refused_without_expose() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "serve", "--demo", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=30,
    )
    assert result.returncode == 2
    assert "is not loopback" in result.stderr and "--expose" in result.stderr
    assert "Traceback" not in result.stderr


def test_expose_says_what_it_exposes() -> None:
    server = Served("--demo", "--host", "0.0.0.0", "--expose")
    try:
        assert "exposing the dashboard of the demo data" in server.banner
        host = socket.gethostname()
        assert f"serving the dashboard on http://{host}:{server.port}/" in server.banner
    finally:
        server.stop()


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "venice_tui", "serve", "--demo", "--port", str(port)],
            capture_output=True,
            text=True,
            env=cli_env(),
            timeout=30,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_dashboards_show_the_period_serve_was_given() -> None:
    server = Served("--demo", "-l", "30d")
    try:
        text = asyncio.run(draw(server, "USD spent"))
    finally:
        server.stop()
    assert "30d (Oct 27" in text  # the period asked for, not one remembered from before
