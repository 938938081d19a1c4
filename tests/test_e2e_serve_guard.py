"""`venice-tui serve` against the attacks of issue 21: another local user reaching the port
without the printed token, too many or too large sessions, dashboards left running after their
websocket or the server ended, malformed requests, and a token that leaks."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import cli_env
from tests.serve_support import (
    Served,
    read_until,
    request,
    wait_until_gone,
    ws_url,
)

pytestmark = pytest.mark.e2e
REFUSED = "open the address `venice-tui serve` printed"


@pytest.fixture
def served() -> Iterator[Served]:
    server = Served("--demo")
    yield server
    if server.process.poll() is None:
        server.stop()


async def handshake(url: str) -> int:
    """The status a websocket handshake gets (101: a session started)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_the_page_and_the_websocket_need_the_token(served: Served) -> None:
    for path in ("/", "/?token=not-the-token", "/static/js/textual.js", "/download/x"):
        status, headers, body = request(served.url, path)
        assert status == 403, path
        assert REFUSED in body and headers["content-type"].startswith("text/plain")
        assert body.count("\n") <= 1
    assert asyncio.run(handshake(ws_url(served, token=False))) == 403
    assert asyncio.run(handshake(f"{served.url}/ws?token=wrong")) == 403
    assert served.children() == []  # no dashboard was started for anyone


def test_the_token_is_exchanged_for_a_cookie_and_dropped_from_the_address(served: Served) -> None:
    assert served.login_url == f"{served.url}/?token={served.token}"
    assert len(served.token) >= 32
    status, headers, _ = request(served.url, f"/?token={served.token}&fontsize=14")
    assert status == 303 and headers["location"] == "/?fontsize=14"
    cookie = headers["set-cookie"]
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    name_value = cookie.split(";", 1)[0]
    status, headers, page = request(served.url, "/", {"Cookie": name_value})
    assert status == 200 and served.token not in page
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "https://" not in page and "googleapis" not in page  # nothing of a third party
    assert request(served.url, "/static/js/textual.js", {"Cookie": name_value})[0] == 200


def test_sessions_beyond_the_cap_are_refused() -> None:
    server = Served("--demo", "--max-sessions", "1")

    async def scenario() -> int:
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url(server)) as ws:
            await read_until(ws, "USD spent")
            return await handshake(ws_url(server))

    try:
        assert asyncio.run(scenario()) == 503
    finally:
        _, err = server.stop()
    assert "refused a session: 1 already open (--max-sessions 1)" in err


def test_a_huge_terminal_is_clamped(served: Served) -> None:
    async def scenario() -> str:
        query = "width=2000&height=1000"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(ws_url(served, query)) as ws,
        ):
            await ws.receive(timeout=60)  # the dashboard runs (forked and exec'd) and draws
            [child] = served.children()
            return Path(f"/proc/{child}/environ").read_text()

    environ = asyncio.run(scenario()).split("\0")
    assert "COLUMNS=500" in environ and "ROWS=200" in environ


def test_a_dashboard_ends_with_its_websocket_even_when_it_does_not_answer(served: Served) -> None:
    async def scenario() -> list[int]:
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url(served)) as ws:
            await read_until(ws, "USD spent")
            children = served.children()
            for child in children:
                os.kill(child, signal.SIGSTOP)  # deaf to the polite "quit"
            await ws.close()
        return children

    children = asyncio.run(scenario())
    assert children and wait_until_gone(children, 15) == []


def test_sigterm_ends_serve_and_every_dashboard(served: Served) -> None:
    async def scenario() -> list[int]:
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url(served)) as ws:
            await read_until(ws, "USD spent")
            children = served.children()
            for child in children:
                os.kill(child, signal.SIGSTOP)
            served.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(served.process.wait, 30)
        return children

    children = asyncio.run(scenario())
    assert served.process.returncode == 0
    assert children and wait_until_gone(children, 5) == []


def test_a_malformed_request_is_one_line(served: Served) -> None:
    assert asyncio.run(handshake(ws_url(served, "width=wide&height=1"))) == 400

    async def bad_message() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url(served)) as ws:
            await ws.send_str('["resize", {"width": "x"}')
            while (await ws.receive(timeout=30)).type == aiohttp.WSMsgType.BINARY:
                pass

    asyncio.run(bad_message())
    _, err = served.stop()
    assert "Traceback" not in err
    assert "refused a session: width and height must be whole numbers" in err
    assert "closed a session: a malformed message from the browser" in err
    assert served.token not in err


def test_a_token_from_a_file_or_the_environment(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("file-token-0123456789abcdef\n")
    token_file.chmod(0o600)
    server = Served("--demo", "--token-file", str(token_file))
    try:
        assert "file-token" not in server.banner and "--token-file" in server.banner
        assert request(server.url, "/?token=file-token-0123456789abcdef")[0] == 303
        assert request(server.url, f"/?token={server.token}")[0] == 403
    finally:
        server.stop()
    env = cli_env(VENICE_TUI_SERVE_TOKEN="env-token-0123456789abcdef")
    server = Served("--demo", env=env)
    try:
        assert "env-token" not in server.banner and "VENICE_TUI_SERVE_TOKEN" in server.banner
        assert request(server.url, "/?token=env-token-0123456789abcdef")[0] == 303
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--token-file", "{loose}"], "by other users: chmod 600"),
        (["--token-file", "{short}"], "at least 16 characters"),
        (["--public-url", "http://"], "--public-url 'http://' names no host"),
    ],
)
def test_what_serve_refuses_before_starting(tmp_path: Path, args: list[str], said: str) -> None:
    (tmp_path / "loose").write_text("loose-token-0123456789abcdef")
    (tmp_path / "loose").chmod(0o644)
    (tmp_path / "short").write_text("short")
    (tmp_path / "short").chmod(0o600)
    argv = [arg.format(loose=tmp_path / "loose", short=tmp_path / "short") for arg in args]
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "serve", "--demo", *argv],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=30,
    )
    assert result.returncode == 2
    assert said in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_expose_still_checks_the_host_it_serves() -> None:
    server = Served("--demo", "--host", "0.0.0.0", "--expose")
    try:
        assert "answers only for" in server.banner and f"127.0.0.1:{server.port}" in server.banner
        login = f"/?token={server.token}"
        assert request(server.url, login, {"Host": f"rebound.example:{server.port}"})[0] == 403
        assert request(server.url, login)[0] == 303
    finally:
        server.stop()
