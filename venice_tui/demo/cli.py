"""`venice-tui demo-server`: serve until interrupted, printing the base URL first."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import UTC, datetime, timedelta
from types import FrameType

from venice_tui.api.period import utc_now
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import FAULTS, DemoResponder
from venice_tui.demo.server import DemoServer

BIG_LEDGER_SCALE = 10.0


def run_demo_server(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        print(f"venice-tui demo-server: error: port {args.port} is not 0-65535", file=sys.stderr)
        return 2
    if args.big:
        account = DemoAccount.big(args.seed)
    elif args.names == "hostile":
        account = DemoAccount.hostile(args.seed)
    else:
        account = DemoAccount(seed=args.seed)
    if not 0 <= args.venice_cache <= 1440:
        print("venice-tui demo-server: error: --venice-cache is 0 to 1440 minutes", file=sys.stderr)
        return 2
    fixed_now = _parse_now(args.now) if args.now else None
    window = timedelta(minutes=args.venice_cache)
    responder = DemoResponder(
        account,
        now=(lambda: fixed_now) if fixed_now else (lambda: _window_start(utc_now(), window)),
        # --big: about a million ledger rows in the last 30 days
        ledger_scale=BIG_LEDGER_SCALE if args.big else 1.0,
    )
    if args.fault:
        if args.fault not in FAULTS:
            print(
                f"venice-tui demo-server: error: unknown fault {args.fault!r}; "
                f"choose from {', '.join(FAULTS)}",
                file=sys.stderr,
            )
            return 2
        responder.set_fault(args.fault)
    try:
        server = DemoServer(responder, args.port)
    except OSError as exc:
        print(
            f"venice-tui demo-server: error: cannot listen on port {args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"demo server: {server.base_url}  (any key works; Ctrl+C stops)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
    return 0


def _parse_now(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the cache window `now` falls in (`now` itself with no window): every answer
    in one window is built as of the same moment, so it is the same bytes."""
    if not window:
        return now
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return now - (now - epoch) % window
