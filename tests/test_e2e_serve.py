"""`venice-tui serve` over loopback: the page is served, a websocket session starts the real
dashboard and draws the Overview (as a browser's xterm.js would receive it), requests for
another host or from another site's page are refused, and a non-loopback host needs --expose."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
KEY = "sk-admin-serve-0123456789SECRET"
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "venice_tui", "serve", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env or cli_env(),
        )
        assert self.process.stderr is not None
        self.banner = ""
        while "serving the dashboard on" not in self.banner:
            line = self.process.stderr.readline()
            assert line, self.banner
            self.banner += line
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=20)
        return self.process.returncode, err


@pytest.fixture
def served() -> Iterator[Served]:
    server = Served("--demo")
    yield server
    if server.process.poll() is None:
        server.stop()


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def draw(url: str, until: str, origin: str | None = None) -> str:
    """Open the session as the page's script does, and read the terminal stream until `until`
    is on screen; then `q` ends the dashboard, which closes the websocket."""
    headers = {"Origin": origin} if origin else {}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{url}/ws?width=120&height=36", headers=headers) as ws,
    ):
        await ws.send_json(["resize", {"width": 120, "height": 36}])
        stream = b""
        text = ""
        while until not in text:
            message = await ws.receive(timeout=60)
            assert message.type == aiohttp.WSMsgType.BINARY, message
            stream += message.data
            text = ANSI.sub("", stream.decode("utf-8", "replace"))
        await ws.send_json(["stdin", "q"])
        while (await ws.receive(timeout=30)).type == aiohttp.WSMsgType.BINARY:
            pass
        assert ws.closed or ws.close_code is not None
        return text


def test_the_page_is_served_and_a_session_draws_the_overview(served: Served) -> None:
    status, page = get(served.url + "/")
    assert status == 200 and f"ws://127.0.0.1:{served.port}/ws" in page
    assets = re.findall(rf'(?:src|href)="({re.escape(served.url)}/static/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:  # the terminal emulator the page runs, and its style
        assert get(asset)[0] == 200, asset
    text = asyncio.run(draw(served.url, "USD spent", origin=served.url))
    assert "Overview" in text and "demo data" in text
    code, err = served.stop()
    assert code == 0 and "Traceback" not in err


def test_another_host_or_another_sites_page_is_refused(served: Served) -> None:
    assert get(served.url + "/", Host=f"rebound.example:{served.port}")[0] == 403
    assert get(served.url + "/ws", Origin="http://evil.example")[0] == 403
    status, _ = get(served.url + "/", Host=f"localhost:{served.port}")
    assert status == 200


def test_a_live_profile_is_served_without_its_key_on_any_command_line(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=demo_server.base_url)
    server = Served(env=env)
    try:
        text = asyncio.run(draw(server.url, "USD spent"))
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
        text = asyncio.run(draw(server.url, "USD spent"))
    finally:
        server.stop()
    assert "30d (Oct 27" in text  # the period asked for, not one remembered from before
