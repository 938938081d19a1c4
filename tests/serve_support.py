"""A `venice-tui serve` subprocess for the e2e tests, and the requests a browser would make."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from tests.conftest import cli_env

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]")
LOGIN = re.compile(r"serving the dashboard on (http://\S+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """`venice-tui serve` on a free port; `login_url` is the address it printed (with its
    token), `url` the same server without one."""

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
        found = LOGIN.search(self.banner)
        assert found, self.banner
        self.login_url = found.group(1)
        self.token = dict(
            part.split("=", 1) for part in urlsplit(self.login_url).query.split("&") if "=" in part
        ).get("token", "")
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err

    def children(self) -> list[int]:
        """The dashboards this server runs now (its child processes)."""
        pids: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in task.read_text().split()]
        return pids


def request(
    url: str, path: str = "/", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One GET, redirects not followed: status, headers (lower-case names), body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read().decode()
    finally:
        connection.close()


def alive(pid: int) -> bool:
    """Running, or a zombie nobody has waited for (still a child left behind)."""
    return Path(f"/proc/{pid}").exists()


def wait_until_gone(pids: list[int], seconds: float) -> list[int]:
    """The processes of `pids` still there after `seconds` (polled, returns as soon as none)."""
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def ws_url(served: Served, query: str = "width=120&height=36", token: bool = True) -> str:
    sep = "&" if query else ""
    return f"{served.url}/ws?{query}" + (f"{sep}token={served.token}" if token else "")


async def read_until(ws: aiohttp.ClientWebSocketResponse, until: str) -> str:
    """The terminal stream as text (escape sequences removed) once `until` is on screen."""
    stream = b""
    text = ""
    while until not in text:
        message = await ws.receive(timeout=60)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        stream += message.data
        text = ANSI.sub("", stream.decode("utf-8", "replace"))
    return text


async def draw(served: Served, until: str, origin: str | None = None) -> str:
    """Open the session as the page's script does, and read the terminal stream until `until`
    is on screen; then `q` ends the dashboard, which closes the websocket."""
    headers = {"Origin": origin} if origin else {}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url(served), headers=headers) as ws,
    ):
        await ws.send_json(["resize", {"width": 120, "height": 36}])
        text = await read_until(ws, until)
        await ws.send_json(["stdin", "q"])
        while (await ws.receive(timeout=30)).type == aiohttp.WSMsgType.BINARY:
            pass
        assert ws.closed or ws.close_code is not None
        return text
