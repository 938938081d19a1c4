"""The door: parses arguments, resolves settings, starts the TUI or a subcommand.

Imports stay lazy so `report` never pays for Textual and `--help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from venice_tui import __version__
from venice_tui.api.period import Period, PeriodError, utc_today

if TYPE_CHECKING:
    from venice_tui.core.connection import Connection
    from venice_tui.core.settings import Settings
    from venice_tui.demo.connection import DemoConnection

EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130  # as in `commands.exits`, unimported


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line with a pointer to --help, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _period_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("period (UTC days; default: the last 7 days)")
    group.add_argument(
        "--lookback",
        "-l",
        metavar="Nd",
        help="the last N days, 1d to 1096d (e.g. 30d; beyond 90d fetched month by month)",
    )
    group.add_argument("--start", metavar="YYYY-MM-DD", help="first day of a range (needs --end)")
    group.add_argument(
        "--end", metavar="YYYY-MM-DD", help="last day of a range, at most 90 days on"
    )


def _connection_options(parser: argparse.ArgumentParser, demo_help: str) -> None:
    parser.add_argument("--profile", metavar="NAME", help="credential profile (env VENICE_PROFILE)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (env VENICE_BASE_URL; default https://api.venice.ai/api/v1)",
    )
    parser.add_argument("--demo", action="store_true", help=demo_help)
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_timeout_seconds,
        help="how long to wait for Venice's answer (default 45; the whole body gets twice that)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="venice-tui",
        description="A terminal dashboard for the spend of a Venice.ai account (USD and DIEM).",
        epilog="Run `venice-tui COMMAND --help` for a command's options. "
        "Keys: VENICE_API_KEY wins over a stored key; billing needs an ADMIN key.",
    )
    parser.add_argument("--version", action="version", version=f"venice-tui {__version__}")
    _period_options(parser)
    _connection_options(parser, "open the dashboard on demo data: no key, no network")
    parser.add_argument(
        "--refresh",
        metavar="SECONDS",
        type=_refresh_seconds,
        default=60,
        help="live refresh interval, at least 10 (0 turns it off; default 60)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    report = commands.add_parser(
        "report",
        help="print the period's usage without a screen (table, --json or --csv)",
        description="Print the period's usage: a table by default, or --json / --csv for scripts.",
    )
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON (see README for the shape)")
    output.add_argument("--csv", action="store_true", help="print the daily rows as CSV")
    report.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE (atomically: a reader never sees half a file) instead of stdout",
    )
    report.add_argument(
        "--offline",
        action="store_true",
        help="print the last good data kept on disk instead of asking Venice",
    )
    _period_options(report)
    _connection_options(report, "report on demo data: no key, no network")
    _keep_global_values(report)

    balance = commands.add_parser(
        "balance",
        help="what is left: USD, credits, today's DIEM and its reset, the runway",
        description="Print the account's balance, today's DIEM allowance and the runway.",
    )
    balance.add_argument("--json", action="store_true", help="print JSON (see README)")
    _connection_options(balance, "show the demo account's balance: no key, no network")
    _keep_global_values(balance)

    check = commands.add_parser(
        "check",
        help="weigh this month against the budgets and key limits, for cron and CI",
        description="Print one line per budget or key limit past its warning line; exit 0 "
        "within budget, 3 on a warning, 4 over a budget or with a key at its limit.",
    )
    check.add_argument("--json", action="store_true", help="print JSON (see README)")
    _connection_options(check, "check the demo account: no key, no network")
    _keep_global_values(check)
    sync = commands.add_parser(
        "sync",
        help="copy the per-request ledger into the local archive (History, reconciliation)",
        description="Walk Venice's usage ledger from the last row stored (the first time, "
        "30 days back) into the local archive; a stopped sync goes on where it stopped.",
    )
    sync.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="walk from this UTC day instead of the last row stored",
    )
    sync.add_argument("--csv", action="store_true", help="ask Venice for CSV pages")
    _connection_options(sync, "sync the demo account's ledger (kept in memory only)")
    _keep_global_values(sync)
    metrics = commands.add_parser(
        "metrics",
        help="the numbers for Prometheus: serve /metrics, or write a textfile",
        description="Serve the account's numbers as Prometheus metrics (Venice is asked at most "
        "once per --min-interval, however often it is scraped), or write them once to a file "
        "for node_exporter's textfile collector.",
    )
    where = metrics.add_mutually_exclusive_group()
    where.add_argument(
        "--listen",
        metavar="HOST:PORT",
        default="127.0.0.1:9464",
        help="where to serve /metrics (default 127.0.0.1:9464)",
    )
    where.add_argument(
        "--textfile", metavar="PATH", help="fetch once, write PATH atomically (.prom) and exit"
    )
    metrics.add_argument(
        "--min-interval",
        metavar="SECONDS",
        type=float,
        default=300.0,
        help="ask Venice at most this often (default 300, at least 60)",
    )
    _period_options(metrics)
    _connection_options(metrics, "serve the demo account's numbers: no key, no network")
    _keep_global_values(metrics)
    serve = commands.add_parser(
        "serve",
        help="the dashboard in a browser (textual-serve), on 127.0.0.1",
        description="Serve the dashboard to a browser: each tab runs its own dashboard with "
        "this profile's key. Listens on loopback; from another machine use an SSH tunnel "
        "(README: Browser).",
    )
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1); any other needs --expose",
    )
    serve.add_argument(
        "--expose",
        action="store_true",
        help="allow a non-loopback --host: anyone who reaches it sees this account",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address the browser uses when it differs (e.g. a tunnel to another port)",
    )
    _period_options(serve)
    _connection_options(serve, "serve the demo dashboard: no key, no network")
    _keep_global_values(serve)
    commands.add_parser(
        "statusline",
        help="one short line for tmux, starship or an editor (see README)",
        description="Options: --format TEMPLATE --max-age SECONDS --timeout SECONDS "
        "--profile NAME --base-url URL --demo",
    )

    auth = commands.add_parser(
        "auth",
        help="log in, check or log out: where your API keys are kept",
        description="Keep Venice API keys in the OS keyring (or, if you ask, a plaintext file).",
    )
    auth_commands = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = auth_commands.add_parser(
        "login",
        help="store a key (hidden prompt, or stdin when piped)",
        description="Ask for an ADMIN key, check it with Venice, store it in the keyring.",
    )
    login.add_argument(
        "--insecure-storage",
        action="store_true",
        help="keep the key in a plaintext file (mode 0600) when there is no keyring",
    )
    for sub, text in (
        (login, None),
        (auth_commands.add_parser("status", help="where each profile's key lives"), None),
        (auth_commands.add_parser("logout", help="remove a profile's stored key"), None),
    ):
        sub.add_argument(
            "--profile", metavar="NAME", help=text or "credential profile (env VENICE_PROFILE)"
        )
        sub.add_argument("--base-url", metavar="URL", help="API base URL (env VENICE_BASE_URL)")
        _keep_global_values(sub)

    server = commands.add_parser(
        "demo-server",
        help="serve demo data on 127.0.0.1 with the real endpoint's shape and errors",
        description="Serve demo usage data at http://127.0.0.1:PORT/api/v1 until interrupted.",
    )
    server.add_argument("--port", type=int, default=8765, help="TCP port (0 picks a free one)")
    server.add_argument("--seed", type=int, default=7, help="seed of the demo account")
    server.add_argument(
        "--big",
        action="store_true",
        help="a big account: 300 models, 1,000 keys, a million ledger rows a month",
    )
    server.add_argument(
        "--fault", metavar="MODE", help="start with a fault switched on (see README)"
    )
    server.add_argument("--now", metavar="ISO-DATETIME", help=argparse.SUPPRESS)
    # Test-only: names with terminal escapes and markup, to prove they are shown, not obeyed.
    server.add_argument("--names", choices=("standard", "hostile"), help=argparse.SUPPRESS)
    return parser


def _keep_global_values(sub: argparse.ArgumentParser) -> None:
    """A subcommand's copy of a global option must not reset it: `venice-tui -l 30d report`
    means 30 days, not the subcommand's default."""
    shared = {"lookback", "start", "end", "profile", "base_url", "demo", "timeout"}
    for action in sub._actions:  # set_defaults would store the marker itself as a value
        if action.dest in shared:
            action.default = argparse.SUPPRESS


def _timeout_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError(f"{value:g} s is out of range: use 1 to 600")
    return value


def _refresh_seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds") from None
    if value != 0 and value < 10:
        raise argparse.ArgumentTypeError(
            f"{value} s is too often: use at least 10, or 0 to turn it off"
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["statusline"]:  # a status bar's hot path: no argparse, no httpx
        from venice_tui.commands.statusline import run_statusline

        return run_statusline(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        if args.command == "demo-server":
            from venice_tui.demo.cli import run_demo_server

            return run_demo_server(args)
        return _dispatch(parser, args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last net: one line, never a traceback
        if os.environ.get("VENICE_TUI_DEBUG"):
            raise
        from venice_tui.api.text import one_line

        print(
            f"venice-tui: unexpected error ({type(exc).__name__}): {one_line(str(exc), 300)}; "
            "set VENICE_TUI_DEBUG=1 for details",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from venice_tui.core.settings import ConfigError, resolve_settings

    try:
        period = (
            None
            if args.command == "auth"
            else Period.from_options(args.lookback, args.start, args.end, utc_today())
        )
        settings = resolve_settings(args, os.environ)
    except (PeriodError, ConfigError) as exc:
        return _usage_error(parser, args, str(exc))
    if args.command is not None:  # the dashboard shows them as notices instead
        for notice in settings.notices:
            print(f"venice-tui: warning: {notice}", file=sys.stderr)
    if args.command == "auth":
        from venice_tui.commands import auth

        if args.auth_command == "login":
            return auth.run_login(settings, args.insecure_storage)
        if args.auth_command == "status":
            return auth.run_status(settings)
        return auth.run_logout(settings)
    assert period is not None
    account = _account(settings)
    if args.command == "check":
        from venice_tui.commands.check import run_check
        from venice_tui.core.budgets import load_budgets

        if settings.demo:
            from venice_tui.demo.connection import DEMO_BUDGETS

            budgets, problems = load_budgets("demo", DEMO_BUDGETS)
            where = None
        else:
            budgets, problems = load_budgets(settings.profile)
            where = (settings.profile, settings.base_url)
        for problem in problems:
            print(f"venice-tui: warning: {problem}", file=sys.stderr)
        return run_check(account, budgets, args.json, where)
    if args.command == "metrics":
        return _metrics(parser, args, settings, account, period)
    if args.command == "serve":
        return _serve(parser, args, settings)
    if args.command == "sync":
        from venice_tui.api.period import parse_day
        from venice_tui.commands.sync import run_sync

        try:
            since = parse_day(args.since, "--since") if args.since else None
        except PeriodError as exc:
            return _usage_error(parser, args, str(exc))
        if since is not None and since > utc_today():
            return _usage_error(parser, args, f"--since {since} is in the future")
        return run_sync(account, since, args.csv)
    if args.command == "balance":
        from venice_tui.commands.balance import run_balance

        return run_balance(account, args.json)
    if args.command == "report":
        from venice_tui.commands.report import run_report

        output = "json" if args.json else "csv" if args.csv else "table"
        return run_report(account, period, output, offline=args.offline, path=args.output)
    chosen = any(value is not None for value in (args.lookback, args.start, args.end))
    return _run_tui(settings, account, period if chosen else None, args.refresh)


def _metrics(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    settings: Settings,
    account: Connection | DemoConnection,
    period: Period,
) -> int:
    from pathlib import Path

    from venice_tui.commands.metrics import write_textfile
    from venice_tui.commands.metrics_http import serve
    from venice_tui.commands.metrics_source import MIN_INTERVAL, MetricsSource
    from venice_tui.core.budgets import load_budgets

    if not args.min_interval >= MIN_INTERVAL:
        return _usage_error(
            parser, args, f"--min-interval must be at least {MIN_INTERVAL:.0f} seconds"
        )
    budgets, problems = load_budgets(settings.profile if not settings.demo else "demo")
    for problem in problems:
        print(f"venice-tui: warning: {problem}", file=sys.stderr)
    source = MetricsSource(account, period, budgets, args.min_interval)
    if args.textfile:
        return write_textfile(source, Path(args.textfile))
    host, _, port_text = args.listen.rpartition(":")
    if not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        return _usage_error(parser, args, f"--listen {args.listen!r} is not HOST:PORT")
    return serve(source, host.strip("[]"), int(port_text))


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace, settings: Settings) -> int:
    import shlex

    from venice_tui.api.endpoint import is_loopback_host as is_loopback
    from venice_tui.ui.serve import run_server, url_host

    if not 1 <= args.port <= 65535:
        return _usage_error(parser, args, f"--port {args.port} is not 1-65535")
    if not is_loopback(args.host) and not args.expose:
        return _usage_error(
            parser,
            args,
            f"--host {args.host} is not loopback: whoever reaches it would see this account's "
            "dashboard, run with your API key; add --expose to mean it, or use an SSH tunnel",
        )
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return _usage_error(parser, args, f"--public-url {args.public_url!r} is not http(s)://…")
    if not is_loopback(args.host):
        whose = "the demo data" if settings.demo else f"profile {settings.profile}"
        print(
            f"venice-tui: warning: exposing the dashboard of {whose} on "
            f"{url_host(args.host)} port {args.port} to anyone who can reach it: its spend, "
            "balance, API keys and limits, budgets and ledger; no login protects it",
            file=sys.stderr,
        )
    command = dashboard_command(args, settings)
    return run_server(shlex.join(command), args.host, args.port, args.public_url, args.expose)


def dashboard_command(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The dashboard each browser tab of `serve` runs: the same profile (its key is found by
    the dashboard itself, never put on a command line), period, timeout and refresh."""
    command = [sys.executable, "-m", "venice_tui", "--refresh", str(args.refresh)]
    command += ["--demo"] if settings.demo else ["--profile", settings.profile]
    if not settings.demo and getattr(args, "base_url", None):
        command += ["--base-url", args.base_url]
    for option in ("lookback", "start", "end", "timeout"):
        value = getattr(args, option, None)
        if value is not None:
            command += [f"--{option}", f"{value:g}" if isinstance(value, float) else value]
    return command


def _account(settings: Settings) -> Connection | DemoConnection:
    """The one place demo or live is chosen; everything after works with either."""
    if settings.demo:
        from venice_tui.demo.connection import DemoConnection

        return DemoConnection.standard()
    from venice_tui.core.connection import Connection

    return Connection(settings)


def _run_tui(
    settings: Settings, account: Connection | DemoConnection, period: Period | None, refresh: int
) -> int:
    """`period` None: the one the dashboard used last time (or the default)."""
    from venice_tui.ui.run import run_tui

    return run_tui(settings, account, period, refresh)


def _usage_error(parser: argparse.ArgumentParser, args: argparse.Namespace, message: str) -> int:
    name = parser.prog + (f" {args.command}" if args.command else "")
    print(f"{name}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
