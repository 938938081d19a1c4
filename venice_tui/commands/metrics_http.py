"""`venice-tui metrics --listen`: prometheus-client's WSGI exposition on a small threaded
server, quiet per scrape, answering on loopback only requests addressed to loopback."""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from prometheus_client import make_wsgi_app

from venice_tui.api.endpoint import is_loopback_host
from venice_tui.commands import exits
from venice_tui.commands.metrics import registry_for
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.commands.report import say


def serve(source: MetricsSource, host: str, port: int) -> int:
    source.on_failure = _say_failure(source)
    try:
        server = _listen(host, port, make_wsgi_app(registry_for(source)))
    except OSError as exc:
        say(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
        return exits.FAILURE
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    source.on_scrape()  # the first numbers are on their way before the first scrape
    shown = f"[{host}]" if ":" in host else host
    print(
        f"venice-tui: serving metrics on http://{shown}:{server.server_port}/metrics",
        file=sys.stderr,
    )
    sys.stderr.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        return exits.INTERRUPTED
    finally:
        server.shutdown()
    return exits.OK


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Scrapes are not worth a line each."""


def _listen(host: str, port: int, app: WSGIApplication) -> WSGIServer:
    """prometheus-client's exposition behind a Host check when on loopback: a page that
    renamed itself to 127.0.0.1 (DNS rebinding) cannot read the numbers from a browser."""
    server_class = _Server6 if ":" in host else _Server
    server = make_server(host, port, app, server_class, handler_class=_Quiet)
    if is_loopback_host(host):
        bound = server.server_port
        allowed = {f"127.0.0.1:{bound}", f"localhost:{bound}", f"[::1]:{bound}"}
        server.set_app(_only_for(allowed, app))
    return server


def _only_for(allowed: set[str], app: WSGIApplication) -> WSGIApplication:
    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if str(environ.get("HTTP_HOST", "")).lower() not in allowed:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"venice-tui metrics answers only requests for this machine's loopback\n"]
        return app(environ, start_response)

    return guarded


def _say_failure(source: MetricsSource) -> Callable[[str], None]:
    def say_failure(error: str) -> None:
        kept = source.data
        serving = (
            f"serving the values of {kept.fetched_at:%Y-%m-%d %H:%M} UTC"
            if kept is not None
            else "no values to serve yet"
        )
        print(f"venice-tui: fetch failed: {error} ({serving})", file=sys.stderr, flush=True)

    return say_failure
