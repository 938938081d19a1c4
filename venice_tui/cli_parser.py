"""The command line's grammar: every command, its options and their one-line refusals."""

from __future__ import annotations

import argparse
from typing import NoReturn

from venice_tui import __version__

EXIT_USAGE = 2  # as in `commands.exits`, unimported


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
        "--end",
        metavar="YYYY-MM-DD",
        help="last day of a range (inclusive; at most 1096 days, not in the future)",
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


def _fleet_options(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_argument_group("many accounts (README: Many accounts)")
    which = group.add_mutually_exclusive_group()
    which.add_argument(
        "--all-profiles",
        action="store_true",
        help=f"{what} every profile with a stored key, each with its own key",
    )
    which.add_argument(
        "--profiles",
        metavar="A,B",
        help=f"{what} these profiles (comma-separated), each with its own key",
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
    _fleet_options(report, "one row per account, worst first:")
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
    _fleet_options(check, "one line per account, the worst account's exit code:")
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
        help="where to serve /metrics (default 127.0.0.1:9464); a non-loopback HOST needs --expose",
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
    metrics.add_argument(
        "--expose",
        action="store_true",
        help="allow a non-loopback --listen: anyone who reaches it can scrape this account",
    )
    _fleet_options(metrics, "one exporter, a `profile` label on every series:")
    _period_options(metrics)
    _connection_options(metrics, "serve the demo account's numbers: no key, no network")
    _keep_global_values(metrics)
    serve = commands.add_parser(
        "serve",
        help="the dashboard in a browser (textual-serve), on 127.0.0.1",
        description="Serve the dashboard to a browser: each tab runs its own dashboard with "
        "this profile's key. Open the address it prints: its token lets a browser in. "
        "Listens on loopback; from another machine use an SSH tunnel (README: Browser).",
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
    serve.add_argument(
        "--token-file",
        metavar="PATH",
        help="the token browsers must present, read from PATH (mode 600) instead of a new one "
        "each start; or set VENICE_TUI_SERVE_TOKEN",
    )
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=4,
        metavar="N",
        help="dashboards open at once, one per browser tab (default 4)",
    )
    _period_options(serve)
    _connection_options(serve, "serve the demo dashboard: no key, no network")
    _keep_global_values(serve)
    commands.add_parser(
        "statusline",
        help="one short line for tmux, starship or an editor (see README)",
        description="Options: --format TEMPLATE --max-age SECONDS --timeout SECONDS "
        "--profile NAME --base-url URL --demo --all-profiles --profiles A,B",
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
    server.add_argument(
        "--venice-cache",
        type=int,
        default=0,
        metavar="MINUTES",
        help="answer as Venice does: the same bytes within each MINUTES-long window (0: as of "
        "each request)",
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
