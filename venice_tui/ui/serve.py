"""`venice-tui serve`: the dashboard in a browser, with textual-serve.

Each browser tab that connects starts its own `venice-tui` process (the same dashboard, the
same profile and key as the person who started the server) and streams it over a websocket.
Whoever reaches the port sees that account, so the server listens on loopback unless told
otherwise, and answers only requests addressed to it: a page from another site open in the
same browser cannot drive the dashboard over its websocket (browsers let any page open a
websocket to 127.0.0.1), and a DNS-rebinding name cannot load it either.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

WILDCARDS = frozenset({"0.0.0.0", "::", "[::]", ""})


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class DashboardServer(Server):
    def __init__(
        self, command: str, host: str, port: int, public_url: str | None, exposed: bool
    ) -> None:
        # Listening on every address: the page must name one a browser can reach.
        named = socket.gethostname() if host in WILDCARDS else url_host(host)
        public = public_url or f"http://{named}:{port}"
        super().__init__(command, host=host, port=port, title="venice-tui", public_url=public)
        self.exposed = exposed
        self.allowed_hosts = {
            urlsplit(public).netloc.lower(),
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"[::1]:{port}",
        }

    def initialize_logging(self) -> None:
        """Problems only, one plain line each (textual-serve's default logs every request)."""
        logging.basicConfig(
            level=logging.WARNING,
            format="venice-tui serve: %(message)s",
            stream=sys.stderr,
            force=True,
        )

    async def on_startup(self, app: web.Application) -> None:
        """Said in `run` instead, once the port is actually listening."""

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._run())

    async def _run(self) -> None:
        runner = web.AppRunner(await self._make_app(), handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            print(f"venice-tui: serving the dashboard on {self.public_url}/", file=sys.stderr)
            print(
                "venice-tui: each browser tab runs its own dashboard; Ctrl+C stops", file=sys.stderr
            )
            sys.stderr.flush()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()  # ends every tab's dashboard too

    def _refuse_foreign(self, request: web.Request) -> None:
        host = request.host.lower()
        if not self.exposed and host not in self.allowed_hosts:
            raise web.HTTPForbidden(text=f"venice-tui serves {self.public_url}, not {host}")
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != host:
            raise web.HTTPForbidden(text="a page of another site may not open this dashboard")

    async def handle_index(self, request: web.Request) -> Any:
        self._refuse_foreign(request)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._refuse_foreign(request)
        return await super().handle_websocket(request)


def run_server(command: str, host: str, port: int, public_url: str | None, exposed: bool) -> int:
    server = DashboardServer(command, host, port, public_url, exposed)
    try:
        server.serve()
    except OSError as exc:
        print(
            f"venice-tui: cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "pick another --port",
            file=sys.stderr,
        )
        return 1
    return 0
