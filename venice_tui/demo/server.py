"""`venice-tui demo-server`: demo data on loopback, with the real endpoint's shape and errors.

Besides the endpoint it answers two control paths for tests:
`POST /_demo/fault?mode=MODE[&count=N][&path=/billing/balance][&key=TEXT]` (mode `none` switches
faults off; `path` limits the fault to one endpoint, `key` to the keys holding that text: one
account of a fleet) and `GET /_demo/stats`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from venice_tui.demo.reply import Reply
from venice_tui.demo.responder import DemoResponder

HANG_SECONDS = 300.0


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, responder: DemoResponder, port: int = 0, host: str = "127.0.0.1") -> None:
        self.responder = responder
        self.stopping = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self._count_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/api/v1"

    def enter(self) -> None:
        with self._count_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._count_lock:
            self.in_flight -= 1

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that hangs up mid-answer is not worth a traceback."""

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()


class _Handler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"
    server_version = "venice-demo/1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the demo server must not print request lines (or anything else) per request."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        if parts.path.startswith("/_demo/"):
            self._control(method, parts.path, query)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.enter()
        try:
            reply = self.server.responder.handle(method, parts.path, query, headers)
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # answer like a server in trouble; never a traceback on stderr
            self._send_json(500, {"error": f"demo server error: {type(exc).__name__}"})
        finally:
            self.server.leave()

    def _control(self, method: str, path: str, query: dict[str, str]) -> None:
        responder = self.server.responder
        if path == "/_demo/fault" and method == "POST":
            mode = query.get("mode") or None
            count = int(query["count"]) if query.get("count") else None
            try:
                responder.set_fault(
                    None if mode == "none" else mode, count, query.get("path"), query.get("key")
                )
            except ValueError as exc:
                self._send_json(400, {"error": str(exc)})
                return
            self._send_json(200, {"fault": mode, "count": count})
        elif path == "/_demo/stats":
            self._send_json(
                200,
                {
                    "requests": responder.requests,
                    "byPath": dict(responder.by_path),
                    "in_flight": self.server.in_flight,
                    "max_in_flight": self.server.max_in_flight,
                },
            )
        else:
            self._send_json(404, {"error": "Not found"})

    def _send_json(self, status: int, payload: object) -> None:
        self._send(
            Reply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        )

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.action == "hang":
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.flush()
            self._hang()
            return
        declared = len(reply.body) + (4096 if reply.action == "truncated" else 0)
        self.send_header("Content-Length", str(declared))
        if reply.action == "truncated":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()
        if reply.action == "truncated":
            self.close_connection = True

    def _hang(self) -> None:
        deadline = time.monotonic() + HANG_SECONDS
        while time.monotonic() < deadline and not self.server.stopping.wait(0.2):
            pass
        self.close_connection = True
