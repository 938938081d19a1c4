"""The `metrics --listen` server in process: its Host check, a socket timeout per request and a
cap on the threads that handle requests (150 silent connections once held 152 threads). Tests
wait on the server's own counters and on sockets being closed, never on a clock."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator

import pytest

from venice_tui.commands.metrics_http import MetricsServer, allowed_hosts, listen


def hello(environ: object, start_response: Callable[..., object]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


def started(server: MetricsServer) -> MetricsServer:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers() -> Iterator[list[MetricsServer]]:
    running: list[MetricsServer] = []
    yield running
    for server in running:
        server.shutdown()
        server.server_close()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll the server's state; the deadline only bounds a broken run."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_150_silent_connections_hold_no_more_threads_than_the_cap(
    servers: list[MetricsServer],
) -> None:
    threads_before = threading.active_count()
    server = started(listen("127.0.0.1", 0, hello, request_timeout=60, max_handlers=4))
    servers.append(server)
    port = server.server_port
    silent = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(150)]
    try:
        wait_until(lambda: server.accepted + server.refused == 150, "connections taken")
        assert (server.accepted, server.handling, server.refused) == (4, 4, 146)
        assert threading.active_count() <= threads_before + 1 + 4  # serve_forever + the cap
        busy = [conn.recv(200) for conn in silent[4:]]
        assert all(answer.startswith(b"HTTP/1.0 503 Service Unavailable") for answer in busy)
    finally:
        for conn in silent:
            conn.close()
    wait_until(lambda: server.handling == 0, "handlers released")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as reply:
        assert reply.status == 200


def test_a_connection_that_never_sends_its_request_is_closed_by_the_timeout(
    servers: list[MetricsServer],
) -> None:
    server = started(listen("127.0.0.1", 0, hello, request_timeout=0.2, max_handlers=4))
    servers.append(server)
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=30) as silent:
        silent.sendall(b"GET /metr")  # half a request, then nothing
        assert silent.recv(200) == b""  # the server closed it
    wait_until(lambda: server.handling == 0, "handler released")


def test_the_address_listened_on_is_an_accepted_host_name() -> None:
    assert allowed_hosts("127.0.0.2", 9464) == {
        "127.0.0.1:9464",
        "localhost:9464",
        "[::1]:9464",
        "127.0.0.2:9464",
    }
    assert "[::1]:80" in allowed_hosts("::1", 80)
