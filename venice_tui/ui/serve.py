"""`venice-tui serve`: the dashboard in a browser, with textual-serve.

Each browser tab that connects starts its own `venice-tui` process (the same dashboard, the
same profile and key as the person who started the server) and streams it over a websocket.
Whoever gets in sees that account and can drive it, so: a token printed at start is needed
(serve_access), the server listens on loopback unless told otherwise and answers only for the
names it serves, sessions are few and bounded in size, and each dashboard ends with its
websocket, all of them with the server (serve_session).
"""

from __future__ import annotations

import asyncio
import html
import logging
import signal
import socket
import string
import sys
from importlib.resources import files
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.server import Server

from venice_tui.ui.serve_access import Access, Token, content_security_policy
from venice_tui.ui.serve_session import Malformed, Session, parse_message, terminal_size

WILDCARDS = frozenset({"0.0.0.0", "::", "[::]", ""})
PAGE = files("venice_tui.ui") / "serve_page"
MAX_MESSAGE = 64 * 1024
log = logging.getLogger("venice-tui.serve")


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class OneLine(logging.Formatter):
    """Every log line is one line, with no traceback and never the token."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        text = " ".join(text.split()).replace(self.secret, "<token>")
        return f"venice-tui serve: {text}"


class DashboardServer(Server):
    def __init__(
        self,
        argv: list[str],
        host: str,
        port: int,
        public_url: str | None,
        token: Token,
        max_sessions: int,
    ) -> None:
        # Listening on every address: the page must name one a browser can reach.
        named = socket.gethostname() if host in WILDCARDS else url_host(host)
        public = (public_url or f"http://{named}:{port}").rstrip("/")
        super().__init__(
            " ".join(argv), host=host, port=port, title="venice-tui", public_url=public
        )
        self.argv = argv
        self.token = token
        self.max_sessions = max_sessions
        self.sessions: set[Session] = set()
        served = {urlsplit(public).netloc.lower(), f"{named.lower()}:{port}"}
        served |= {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        self.served_hosts = frozenset(served)
        secure = public.startswith("https:")
        self.websocket_url = ("wss:" if secure else "ws:") + public.split(":", 1)[1] + "/ws"
        ws_origin = ("wss://" if secure else "ws://") + urlsplit(public).netloc
        self.access = Access(
            token, self.served_hosts, f"venice-tui-serve-{port}", content_security_policy(ws_origin)
        )

    def initialize_logging(self) -> None:
        """Problems only, one plain line each (textual-serve's default logs every request)."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine(self.token.value))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.access.middleware], client_max_size=MAX_MESSAGE)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/page.js", self.handle_page_file),
                web.get("/page.css", self.handle_page_file),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self.access.add_headers)
        return app

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._run())

    def _startup_lines(self) -> list[str]:
        address = f"{self.public_url}/"
        if self.token.printable:
            address += f"?token={self.token.value}"
        else:
            address += f" (with the token of {self.token.source})"
        lines = []
        if self.host not in ("127.0.0.1", "::1", "localhost"):
            names = ", ".join(sorted(self.served_hosts))
            lines.append(f"it answers only for {names} (another name: --public-url)")
        lines.append(f"serving the dashboard on {address}")
        lines.append(
            "the token in that address lets a browser in; each tab runs its own dashboard, "
            f"at most {self.max_sessions} at once; Ctrl+C stops"
        )
        return lines

    async def _run(self) -> None:
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, access_log=None, shutdown_timeout=2
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            for line in self._startup_lines():
                print(f"venice-tui: {line}", file=sys.stderr)
            sys.stderr.flush()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await stop.wait()
        finally:
            await asyncio.gather(*(session.stop() for session in list(self.sessions)))
            await runner.cleanup()

    async def handle_index(self, request: web.Request) -> web.Response:
        try:
            font_size = max(6, min(int(request.query.get("fontsize", "16")), 64))
        except ValueError:
            font_size = 16
        page = string.Template((PAGE / "index.html").read_text(encoding="utf-8")).substitute(
            title="venice-tui",
            static="/static",
            websocket_url=html.escape(self.websocket_url),
            font_size=font_size,
        )
        return web.Response(text=page, content_type="text/html")

    async def handle_page_file(self, request: web.Request) -> web.Response:
        name = request.path.lstrip("/")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return web.Response(text=(PAGE / name).read_text(encoding="utf-8"), content_type=kind)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        try:
            width, height = terminal_size(request.query)
        except Malformed as exc:
            log.warning("refused a session: %s", exc)
            raise web.HTTPBadRequest(text=f"venice-tui: {exc}\n") from None
        if len(self.sessions) >= self.max_sessions:
            log.warning(
                "refused a session: %d already open (--max-sessions %d)",
                len(self.sessions),
                self.max_sessions,
            )
            raise web.HTTPServiceUnavailable(
                text="venice-tui: too many dashboards open at once; close a tab and reload\n"
            )
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        session = Session(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(session)  # counted from here, so a burst cannot pass the cap
        try:
            await websocket.prepare(request)
            await session.start(width, height)
            await self._relay(websocket, session)
        except Malformed as exc:
            log.warning("closed a session: a malformed message from the browser (%s)", exc)
        except (OSError, RuntimeError) as exc:
            log.warning("closed a session: %s", exc)
        finally:
            await session.stop()
            self.sessions.discard(session)
            await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """The page's messages to the dashboard, until the websocket closes."""
        async for message in websocket:
            if message.type == WSMsgType.ERROR:
                return
            if message.type != WSMsgType.TEXT:
                raise Malformed("not text")
            parsed = parse_message(message.data)
            if parsed.kind == "stdin":
                await session.send_bytes(parsed.text.encode("utf-8"))
            elif parsed.kind == "resize":
                await session.set_terminal_size(parsed.width, parsed.height)
            elif parsed.kind == "ping":
                await websocket.send_json(["pong", parsed.text])
            elif parsed.kind == "blur":
                await session.blur()
            elif parsed.kind == "focus":
                await session.focus()


def run_server(
    argv: list[str],
    host: str,
    port: int,
    public_url: str | None,
    token: Token,
    max_sessions: int,
) -> int:
    server = DashboardServer(argv, host, port, public_url, token, max_sessions)
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
