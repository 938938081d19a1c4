"""`venice-tui metrics --listen`: prometheus-client's WSGI exposition on a small threaded
server, quiet per scrape, answering on loopback only requests addressed to loopback (or to the
address it listens on), with a socket timeout per request and a cap on handler threads."""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from prometheus_client import CollectorRegistry, make_wsgi_app

from venice_tui.api.endpoint import is_loopback_host
from venice_tui.commands import exits
from venice_tui.commands.fleet_metrics import FleetSource, fleet_registry
from venice_tui.commands.metrics import registry_for
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.commands.report import say

#: Seconds a connection may stay silent (a request that never comes, a scraper that stops
#: reading) before it is closed. Prometheus's own scrape timeout is 10 s.
REQUEST_TIMEOUT = 10.0
#: Requests handled at once; more are answered 503 at once and closed. Prometheus scrapes a
#: target one request at a time, so this is room for a few scrapers and a curl or two.
MAX_HANDLERS = 16
_BUSY = b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def serve(source: MetricsSource, host: str, port: int) -> int:
    source.on_failure = _say_failure(source)
    source.on_surprise = _say_surprise
    return serve_registry(registry_for(source), source.on_scrape, host, port)


def serve_fleet(fleet: FleetSource, host: str, port: int) -> int:
    """`--all-profiles`: one exporter, each profile's failures said with its name."""
    for profile, source in fleet.sources.items():
        source.on_failure = _say_failure(source, f"profile {profile}: ")
        source.on_surprise = _prefixed(f"profile {profile}: ")
    return serve_registry(fleet_registry(fleet), fleet.on_scrape, host, port)


def serve_registry(
    registry: CollectorRegistry, start: Callable[[], None], host: str, port: int
) -> int:
    try:
        server = listen(host, port, make_wsgi_app(registry))
    except OSError as exc:
        say(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
        return exits.FAILURE
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    start()  # the first numbers are on their way before the first scrape
    print(
        f"venice-tui: serving metrics on http://{_url_host(host)}:{server.server_port}/metrics",
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


class MetricsServer(ThreadingMixIn, WSGIServer):
    """One thread per request, at most `max_handlers` at once; a request over the cap is
    answered 503 from the accepting thread and closed, never queued behind silent ones. Each
    connection's socket times out after `request_timeout` seconds of silence."""

    daemon_threads = True
    request_queue_size = 64  # a burst of connections waits in the kernel, not in SYN retries

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[WSGIRequestHandler],
        request_timeout: float = REQUEST_TIMEOUT,
        max_handlers: int = MAX_HANDLERS,
    ) -> None:
        self.request_timeout = request_timeout
        self.handling = 0  # requests being handled now
        self.accepted = 0  # requests given a thread, since the start
        self.refused = 0  # requests answered 503 because `max_handlers` were busy
        self._slots = threading.BoundedSemaphore(max_handlers)
        self._count_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            with self._count_lock:
                self.refused += 1
            _refuse(request)
            self.shutdown_request(request)
            return
        with self._count_lock:
            self.handling += 1
            self.accepted += 1
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release()

    def _release(self) -> None:
        with self._count_lock:
            self.handling -= 1
        self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went silent (timed out) or away is its own business: no traceback
        on the operator's terminal for it."""


class _MetricsServer6(MetricsServer):
    address_family = socket.AF_INET6


def _refuse(request: socket.socket) -> None:
    """A 503 written without waiting (the send buffer of a new connection is empty)."""
    try:
        request.setblocking(False)
        request.send(_BUSY)
    except OSError:
        pass


class _Quiet(WSGIRequestHandler):
    server: MetricsServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)

    def log_message(self, format: str, *args: object) -> None:
        """Scrapes are not worth a line each."""


def listen(
    host: str,
    port: int,
    app: WSGIApplication,
    request_timeout: float = REQUEST_TIMEOUT,
    max_handlers: int = MAX_HANDLERS,
) -> MetricsServer:
    """prometheus-client's exposition behind a Host check when on loopback: a page that
    renamed itself to 127.0.0.1 (DNS rebinding) cannot read the numbers from a browser. The
    address listened on is accepted too (`--listen 127.0.0.2:9464` answers its own URL)."""
    server_class = _MetricsServer6 if ":" in host else MetricsServer
    server = server_class((host, port), _Quiet, request_timeout, max_handlers)
    server.set_app(app)
    if is_loopback_host(host):
        server.set_app(_only_for(allowed_hosts(host, server.server_port), app))
    return server


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers a loopback listener answers: the loopback names and its own address."""
    names = {"127.0.0.1", "localhost", "[::1]", _url_host(host).lower()}
    return {f"{name}:{port}" for name in names}


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _only_for(allowed: set[str], app: WSGIApplication) -> WSGIApplication:
    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if str(environ.get("HTTP_HOST", "")).lower() not in allowed:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"venice-tui metrics answers only requests for this machine's loopback\n"]
        return app(environ, start_response)

    return guarded


def _say_surprise(line: str) -> None:
    print(f"venice-tui: {line}", file=sys.stderr, flush=True)


def _prefixed(prefix: str) -> Callable[[str], None]:
    return lambda line: _say_surprise(f"{prefix}{line}")


def _say_failure(source: MetricsSource, prefix: str = "") -> Callable[[str], None]:
    def say_failure(error: str) -> None:
        kept = source.data
        serving = (
            f"serving the values of {kept.fetched_at:%Y-%m-%d %H:%M} UTC"
            if kept is not None
            else "no values to serve yet"
        )
        print(f"venice-tui: {prefix}fetch failed: {error} ({serving})", file=sys.stderr, flush=True)

    return say_failure
