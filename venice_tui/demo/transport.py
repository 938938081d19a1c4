"""httpx transports that answer from the demo responder in-process: `--demo` needs no network."""

from __future__ import annotations

import asyncio

import httpx

from venice_tui.demo.reply import Reply
from venice_tui.demo.responder import DemoResponder

#: Any non-empty key passes the demo's auth; the real client still sends it as a Bearer header.
DEMO_API_KEY = "demo-admin-key"
DEMO_BASE_URL = "https://demo.invalid/api/v1"


def _answer(responder: DemoResponder, request: httpx.Request) -> httpx.Response:
    query = dict(request.url.params.items())
    headers = {name.lower(): value for name, value in request.headers.items()}
    reply: Reply = responder.handle(request.method, request.url.path, query, headers)
    if reply.action == "hang":
        raise httpx.ReadTimeout("the demo server stalled", request=request)
    if reply.action == "truncated":
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=request
        )
    return httpx.Response(reply.status, headers=reply.headers, content=reply.body)


class DemoTransport(httpx.AsyncBaseTransport):
    def __init__(self, responder: DemoResponder | None = None) -> None:
        self.responder = responder or DemoResponder()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # On a thread, as a real server works elsewhere: making a big account's bodies must
        # not stall the app that asked for them.
        return await asyncio.to_thread(_answer, self.responder, request)


class DemoSyncTransport(httpx.BaseTransport):
    def __init__(self, responder: DemoResponder | None = None) -> None:
        self.responder = responder or DemoResponder()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _answer(self.responder, request)
