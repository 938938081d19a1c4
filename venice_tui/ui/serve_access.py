"""Who may use `venice-tui serve`: whoever holds the token it printed (as Jupyter does).

The token is exchanged once for a cookie, and the address without it replaces the one typed,
so it stays out of the history and the Referer. Every request must also be addressed to a name
the server serves (DNS rebinding) and come from no other site's page (browsers let any page
open a websocket to 127.0.0.1), and every answer carries headers that keep the page its own.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import stat
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from aiohttp import web

TOKEN_ENV = "VENICE_TUI_SERVE_TOKEN"
MIN_TOKEN = 16
TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]+")
REFUSED = (
    "venice-tui: forbidden: open the address `venice-tui serve` printed "
    "(with its ?token=), or ask whoever started it\n"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class TokenError(ValueError):
    """A token given to `serve` that it will not use; the message says why, in one line."""


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    source: str  # "generated", "--token-file", or the environment variable's name

    @property
    def printable(self) -> bool:
        """A token someone gave is theirs already: it is not printed again."""
        return self.source == "generated"


def load_token(token_file: str | None, environ: Mapping[str, str]) -> Token:
    if token_file is not None:
        return Token(_read_token_file(token_file), "--token-file")
    if given := environ.get(TOKEN_ENV, ""):
        return Token(_checked(given, TOKEN_ENV), TOKEN_ENV)
    return Token(secrets.token_urlsafe(32), "generated")


def _read_token_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            mode = os.fstat(file.fileno()).st_mode
            text = file.read(4096)
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"--token-file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise TokenError(
            f"--token-file {path} may be read or changed by other users: chmod 600 {path}"
        )
    return _checked(text.strip(), f"--token-file {path}")


def _checked(token: str, where: str) -> str:
    if len(token) < MIN_TOKEN:
        raise TokenError(f"the token in {where} is too short: at least {MIN_TOKEN} characters")
    if not TOKEN_CHARS.fullmatch(token):
        raise TokenError(f"the token in {where} may hold only letters, digits and . _ ~ -")
    return token


def content_security_policy(websocket_origin: str) -> str:
    # xterm.js adds <style> elements of its own, hence inline styles; scripts are ours only.
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {websocket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


class Access:
    """The aiohttp middleware and response headers of one server."""

    def __init__(
        self, token: Token, served_hosts: frozenset[str], cookie_name: str, csp: str
    ) -> None:
        self._token = token.value.encode()
        self.served_hosts = served_hosts
        self.cookie_name = cookie_name
        self.csp = csp

    def _is_token(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(
            candidate.encode("utf-8", "replace"), self._token
        )

    def _refuse_foreign(self, request: web.Request) -> None:
        host = request.host.lower()
        if host not in self.served_hosts:
            raise web.HTTPForbidden(
                text=f"venice-tui: forbidden: this server does not serve {host}\n"
            )
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != host:
            raise web.HTTPForbidden(
                text="venice-tui: forbidden: a page of another site may not open this dashboard\n"
            )

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self._refuse_foreign(request)
        if self._is_token(request.query.get("token")):
            if request.path == "/":
                return self._exchange(request)
            return await handler(request)  # a script's websocket or download, token in hand
        if self._is_token(request.cookies.get(self.cookie_name)):
            return await handler(request)
        raise web.HTTPForbidden(text=REFUSED)

    def _exchange(self, request: web.Request) -> web.StreamResponse:
        """The token for a cookie, and the same page without the token in its address."""
        rest = [(k, v) for k, v in request.query.items() if k != "token"]
        location = "/" + (f"?{urlencode(rest)}" if rest else "")
        response = web.Response(status=303, headers={"Location": location})
        response.set_cookie(
            self.cookie_name,
            self._token.decode(),
            httponly=True,
            samesite="Strict",
            path="/",
            secure=request.scheme == "https",
        )
        return response

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
