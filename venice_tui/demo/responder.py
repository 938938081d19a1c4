"""Answers requests as the live endpoint does: same validation, shapes, statuses and errors.

Shared by the loopback `demo-server` and the in-process transport behind `--demo`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from venice_tui.api.period import utc_now
from venice_tui.demo.account_bodies import api_keys_body, balance_body, rate_limits_body
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.history_endpoint import history_reply
from venice_tui.demo.ledger import DemoLedger
from venice_tui.demo.reply import Reply
from venice_tui.demo.reply import json_reply as _json

API_PREFIX = "/api/v1"
USAGE_PATH = API_PREFIX + "/billing/usage-analytics"
BALANCE_PATH = API_PREFIX + "/billing/balance"
API_KEYS_PATH = API_PREFIX + "/api_keys"
RATE_LIMITS_PATH = API_PREFIX + "/api_keys/rate_limits"
HISTORY_PATH = API_PREFIX + "/billing/usage-history"
ENDPOINTS = (USAGE_PATH, BALANCE_PATH, API_KEYS_PATH, RATE_LIMITS_PATH, HISTORY_PATH)
_LOOKBACK_RE = re.compile(r"[1-9]\d*d")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_DAYS = 90

#: Faults a test (or a curious person) can switch on; see `DemoServer` for the socket-level ones.
FAULTS = (
    "400",
    "401",
    "402",
    "429",
    "500",
    "502-html",
    "503",
    "504",
    "html-200",
    "wrong-shape",
    "truncated",
    "hang",
    "empty",
    "flaky",
    "expired-cursor",
    "ledger-loop",
    "ledger-future",
)
#: Faults of the ledger's pages themselves (the answer is a 200): a cursor sent back again,
#: and a page's last row stamped 9999-12-31.
LEDGER_FAULTS = ("expired-cursor", "ledger-loop", "ledger-future")
#: `flaky` fails every third request, cycling through these (for the soak benchmark).
FLAKY_CYCLE = ("504", "500", "502-html", "wrong-shape", "truncated", "429")


@dataclass
class FaultPlan:
    mode: str | None = None
    #: How many requests the fault applies to; None means until switched off.
    remaining: int | None = None
    #: Only requests to this endpoint (e.g. `/billing/balance`) fail; None: every endpoint.
    path: str | None = None


#: A key holding this is a key of another Venice account (its own key ids and numbers): two
#: accounts logged in one after the other under one profile, as a test or a person tries it.
ANOTHER_ACCOUNT_MARK = "other-account"
#: The demo fleet (`--demo` over all profiles): a key holding one of these is a key of that
#: account; any other key is the standard account's.
WORK_ACCOUNT_MARK = "demo-work"
CLIENT_ACCOUNT_MARK = "demo-client"
STAGING_ACCOUNT_MARK = "demo-staging"


class DemoResponder:
    def __init__(
        self,
        account: DemoAccount | None = None,
        now: Callable[[], datetime] = utc_now,
        ledger_scale: float = 1.0,
    ) -> None:
        account = account or DemoAccount()
        if ledger_scale != account.request_scale:
            # `ledger_scale` times more (cheaper) requests in the ledger for the same spend.
            account = replace(account, request_scale=ledger_scale, _cache={}, _whole_cache={})
        self.account = account
        self.ledger = DemoLedger(self.account)
        #: Another Venice account, answered for a key holding `ANOTHER_ACCOUNT_MARK`.
        self.another = DemoAccount.another()
        #: The accounts answered for a key holding their mark; the first mark found wins.
        self.by_mark: dict[str, tuple[DemoAccount, DemoLedger]] = {
            ANOTHER_ACCOUNT_MARK: (self.another, DemoLedger(self.another)),
            WORK_ACCOUNT_MARK: _with_ledger(DemoAccount.work()),
            CLIENT_ACCOUNT_MARK: _with_ledger(DemoAccount.client()),
            STAGING_ACCOUNT_MARK: _with_ledger(DemoAccount.staging()),
        }
        self._empty_account = DemoAccount(empty=True)
        self.now = now
        self._lock = threading.Lock()
        self.fault = FaultPlan()
        self.requests = 0
        #: Requests per endpoint path (the demo server's `/_demo/stats` shows them).
        self.by_path: dict[str, int] = {}
        self._flaky_count = 0
        self._ledger_lock = threading.Lock()

    def _account_of(self, token: str) -> tuple[DemoAccount, DemoLedger]:
        lowered = token.lower()
        for mark, (account, ledger) in self.by_mark.items():
            if mark in lowered:
                return account, ledger
        return self.account, self.ledger

    def set_fault(
        self, mode: str | None, count: int | None = None, path: str | None = None
    ) -> None:
        if mode is not None and mode not in FAULTS:
            raise ValueError(f"unknown fault {mode!r}; choose from {', '.join(FAULTS)}")
        if path is not None and API_PREFIX + path.rstrip("/") not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {path!r}; choose from {', '.join(ENDPOINTS)}")
        with self._lock:
            self.fault = FaultPlan(mode, count, path)

    def _take_fault(self, path: str, has_cursor: bool = False) -> str | None:
        with self._lock:
            plan = self.fault
            if plan.mode is None or (plan.mode == "expired-cursor" and not has_cursor):
                return None
            if plan.path is not None and API_PREFIX + plan.path.rstrip("/") != path:
                return None
            if plan.remaining is not None:
                plan.remaining -= 1
                if plan.remaining <= 0:
                    self.fault = FaultPlan()
            return plan.mode

    def _flaky_fault(self) -> str | None:
        with self._lock:
            self._flaky_count += 1
            count = self._flaky_count
        if count % 3:
            return None
        return FLAKY_CYCLE[(count // 3 - 1) % len(FLAKY_CYCLE)]

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> Reply:
        path = path.rstrip("/")
        with self._lock:
            self.requests += 1
            self.by_path[path] = self.by_path.get(path, 0) + 1
        if path not in ENDPOINTS:
            return _json(404, {"error": "Not found"})
        if method != "GET":
            return _json(405, {"error": "Method not allowed"})
        auth = headers.get("authorization", "")
        if not auth:
            return _json(402, _x402_body())
        token = auth.removeprefix("Bearer ").strip()
        inference = token.lower().startswith("inference")
        if not token or token == "invalid" or (inference and path != RATE_LIMITS_PATH):
            return _json(401, {"error": "Admin API key required"})
        fault = self._take_fault(path, "cursor" in query)
        if fault == "flaky":
            fault = self._flaky_fault()
        if fault is not None and fault != "empty" and fault not in LEDGER_FAULTS:
            return _fault_reply(fault)
        account, ledger = self._account_of(token)
        account = self._empty_account if fault == "empty" else account
        now = self.now()
        if path == BALANCE_PATH:
            return _json(200, balance_body(account, now))
        if path == API_KEYS_PATH:
            return _json(200, api_keys_body(account, now))
        if path == RATE_LIMITS_PATH:
            return _json(200, rate_limits_body(account, now, admin=not inference))
        if path == HISTORY_PATH:
            with self._ledger_lock:  # one walk generates a day at a time; share the days
                return history_reply(
                    ledger,
                    query,
                    headers,
                    now,
                    cursor_refused=fault == "expired-cursor",
                    fault=fault if fault in LEDGER_FAULTS else None,
                )
        parsed = _parse_period(query, now.date())
        if isinstance(parsed, Reply):
            return parsed
        days, lookback = parsed
        body = account.analytics(days, now, lookback)
        return Reply(200, json.dumps(body, separators=(",", ":")).encode(), _rate_headers())


def _with_ledger(account: DemoAccount) -> tuple[DemoAccount, DemoLedger]:
    return account, DemoLedger(account)


def _parse_period(query: dict[str, str], today: date) -> tuple[list[date], str] | Reply:
    start, end = query.get("startDate"), query.get("endDate")
    if start and end:
        errors: dict[str, Any] = {"_errors": []}
        for name, value in (("startDate", start), ("endDate", end)):
            if not _DATE_RE.fullmatch(value):
                errors[name] = {"_errors": ["Invalid date, expected YYYY-MM-DD"]}
        if len(errors) > 1:
            return _json(400, {"error": "Invalid request parameters", "details": errors})
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            return _json(
                400,
                {
                    "error": "Invalid request parameters",
                    "details": {"_errors": ["Invalid calendar date"]},
                },
            )
        if last < first:
            return _json(400, {"error": "endDate must not be before startDate"})
        if (last - first).days + 1 > MAX_DAYS:
            return _json(400, {"error": f"Date range cannot exceed {MAX_DAYS} days"})
        return _span(first, last), f"{start}:{end}"
    lookback = query.get("lookback", "7d")
    if not _LOOKBACK_RE.fullmatch(lookback):
        return _json(
            400,
            {
                "error": "Invalid request parameters",
                "details": {
                    "_errors": [],
                    "lookback": {"_errors": ["Invalid lookback, expected e.g. 7d"]},
                },
            },
        )
    count = min(int(lookback[:-1]), MAX_DAYS)  # the live service clamps instead of refusing
    return _span(today - timedelta(days=count - 1), today), f"{count}d"


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _fault_reply(fault: str) -> Reply:
    if fault == "400":
        return _json(
            400,
            {
                "error": "Invalid request parameters",
                "details": {"_errors": [], "lookback": {"_errors": ["Invalid lookback"]}},
            },
        )
    if fault == "401":
        return _json(401, {"error": "Admin API key required"})
    if fault == "402":
        return _json(402, _x402_body())
    if fault == "429":
        reply = _json(429, {"error": "Rate limit exceeded"})
        reply.headers["Retry-After"] = "2"
        return reply
    if fault in ("500", "503"):
        return _json(
            int(fault),
            {"error": "Inference processing failed" if fault == "500" else "Service unavailable"},
        )
    if fault == "502-html":
        page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
        return Reply(502, page, {"Content-Type": "text/html"})
    if fault == "504":
        return _json(504, {"error": "Query timed out - try reducing the lookback period"})
    if fault == "html-200":
        return Reply(
            200,
            b"<!doctype html><html><body>Please log in</body></html>",
            {"Content-Type": "text/html"},
        )
    if fault == "wrong-shape":
        return _json(200, {"data": [], "object": "list"})
    if fault == "truncated":
        return Reply(
            200,
            b'{"lookback":"7d","byDate":[{"date":"2026-',
            {"Content-Type": "application/json"},
            "truncated",
        )
    return Reply(200, b"", {"Content-Type": "application/json"}, "hang")


def _rate_headers() -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
    }


def _x402_body() -> dict[str, Any]:
    return {
        "error": "Payment required",
        "x402Version": 1,
        "accepts": [{"scheme": "exact", "network": "base", "asset": "USDC"}],
    }
