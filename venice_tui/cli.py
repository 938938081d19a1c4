"""The door: parses arguments, resolves settings, starts the TUI or a subcommand.

Imports stay lazy so `report` never pays for Textual and `--help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from venice_tui.api.period import Period, PeriodError, utc_today
from venice_tui.cli_parser import EXIT_USAGE, build_parser

if TYPE_CHECKING:
    from venice_tui.core.connection import Connection
    from venice_tui.core.settings import Settings
    from venice_tui.demo.connection import DemoConnection

EXIT_FAILURE, EXIT_INTERRUPTED = 1, 130  # as in `commands.exits`, unimported


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
    if getattr(args, "all_profiles", False) or getattr(args, "profiles", None) is not None:
        return _over_profiles(parser, args, settings, period)
    account = _account(settings)
    if args.command == "check":
        from venice_tui.commands.check import run_check

        budgets, problems = account.budgets()
        for problem in problems:
            print(f"venice-tui: warning: {problem}", file=sys.stderr)
        return run_check(account, budgets, args.json)
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
    from venice_tui.commands.metrics_source import MetricsSource

    problem = _metrics_options_problem(args)
    if problem is not None:
        return _usage_error(parser, args, problem)
    budgets, problems = account.budgets()
    for line in problems:
        print(f"venice-tui: warning: {line}", file=sys.stderr)
    source = MetricsSource(account, period, budgets, args.min_interval)
    if args.textfile:
        return write_textfile(source, Path(args.textfile))
    host, port = _listen_address(args.listen)
    whose = "the demo data" if settings.demo else f"profile {settings.profile}"
    if not _may_listen(host, args, whose):
        return _usage_error(parser, args, _not_loopback(args.listen))
    return serve(source, host, port)


def _metrics_options_problem(args: argparse.Namespace) -> str | None:
    from venice_tui.commands.metrics_source import MIN_INTERVAL

    if not args.min_interval >= MIN_INTERVAL:
        return f"--min-interval must be at least {MIN_INTERVAL:.0f} seconds"
    if not args.textfile:
        host, _, port_text = args.listen.rpartition(":")
        if not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
            return f"--listen {args.listen!r} is not HOST:PORT"
    return None


def _listen_address(listen: str) -> tuple[str, int]:
    host, _, port_text = listen.rpartition(":")
    return host.strip("[]"), int(port_text)


def _not_loopback(listen: str) -> str:
    return (
        f"--listen {listen} is not loopback: anyone who reaches it could scrape this "
        "account's spend, balance and key names; add --expose to mean it"
    )


def _may_listen(host: str, args: argparse.Namespace, whose: str) -> bool:
    """Loopback, or `--expose` (said on stderr); False: refused."""
    from venice_tui.api.endpoint import is_loopback_host as is_loopback

    if is_loopback(host):
        return True
    if not args.expose:
        return False
    print(
        f"venice-tui: warning: exposing the metrics of {whose} on {args.listen} to anyone "
        "who can reach it (spend, balance, key names and limits); every Host name is "
        "answered, no login protects it",
        file=sys.stderr,
    )
    return True


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace, settings: Settings) -> int:

    from venice_tui.api.endpoint import is_loopback_host as is_loopback
    from venice_tui.ui.serve import run_server, url_host
    from venice_tui.ui.serve_access import TokenError, load_token

    if not 1 <= args.port <= 65535:
        return _usage_error(parser, args, f"--port {args.port} is not 1-65535")
    if not 1 <= args.max_sessions <= 64:
        return _usage_error(parser, args, f"--max-sessions {args.max_sessions} is not 1-64")
    if not is_loopback(args.host) and not args.expose:
        return _usage_error(
            parser,
            args,
            f"--host {args.host} is not loopback: whoever reaches it would see this account's "
            "dashboard, run with your API key; add --expose to mean it, or use an SSH tunnel",
        )
    if args.public_url is not None and (problem := _public_url_problem(args.public_url)):
        return _usage_error(parser, args, f"--public-url {args.public_url!r} {problem}")
    try:
        token = load_token(args.token_file, os.environ)
    except TokenError as exc:
        return _usage_error(parser, args, str(exc))
    if not is_loopback(args.host):
        whose = "the demo data" if settings.demo else f"profile {settings.profile}"
        print(
            f"venice-tui: warning: exposing the dashboard of {whose} on "
            f"{url_host(args.host)} port {args.port} to anyone who can reach it and holds the "
            "token: its spend, balance, API keys and limits, budgets and ledger; over plain "
            "http the token crosses the network readable",
            file=sys.stderr,
        )
    command = dashboard_command(args, settings)
    return run_server(command, args.host, args.port, args.public_url, token, args.max_sessions)


def _public_url_problem(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "is not http(s)://…"
    try:
        parts.port  # noqa: B018 (it raises for a port that is not one)
    except ValueError:
        return "has a port that is not 1-65535"
    if not parts.hostname:
        return "names no host"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "must be only scheme://host[:port] (the dashboard is served at /)"
    return None


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


def _over_profiles(
    parser: argparse.ArgumentParser, args: argparse.Namespace, settings: Settings, period: Period
) -> int:
    """`--all-profiles` / `--profiles a,b` on report, check and metrics."""
    from venice_tui.api.errors import ConfigError

    if args.profile is not None:
        return _usage_error(
            parser, args, "--profile picks one profile: leave it out with --all-profiles/--profiles"
        )
    if args.command == "report" and args.offline:
        return _usage_error(
            parser, args, "--offline reads one profile's kept data: add --profile NAME instead"
        )
    try:
        accounts = _accounts(args, settings)
    except ConfigError as exc:
        return _usage_error(parser, args, str(exc))
    said: set[str] = set()
    for account in accounts:
        for problem in account.budgets()[1]:
            if problem not in said:
                said.add(problem)
                print(f"venice-tui: warning: {problem}", file=sys.stderr)
    if args.command == "check":
        from venice_tui.commands.fleet_check import run_fleet_check

        return run_fleet_check(accounts, args.json)
    if args.command == "report":
        from venice_tui.commands.fleet_report import run_fleet_report

        output = "json" if args.json else "csv" if args.csv else "table"
        return run_fleet_report(accounts, period, output, path=args.output)
    return _fleet_metrics(parser, args, settings, accounts, period)


def _accounts(args: argparse.Namespace, settings: Settings) -> list[Connection | DemoConnection]:
    """The accounts of the profiles picked, each with its own key and server; raises
    ConfigError (nothing sent) for an unknown name or a key that would stand in for all."""
    from venice_tui.api.errors import ConfigError
    from venice_tui.core.fleet import pick_profiles, refuse_shared_key

    if settings.demo:
        from venice_tui.demo.connection import DemoConnection

        demo = DemoConnection.standard()
        return [demo.for_profile(name) for name in pick_profiles(demo.fleet(), args.profiles)]
    from venice_tui.core.connection import Connection

    refuse_shared_key(os.environ)
    base = Connection(settings)
    every = base.fleet()
    known = sorted({*every, *base.known_profiles()})
    names = pick_profiles(every if args.profiles is None else known, args.profiles)
    accounts: list[Connection | DemoConnection] = []
    for name in names:
        try:
            accounts.append(Connection(settings.for_profile(name)))
        except ConfigError as exc:
            raise ConfigError(f"profile {name}: {exc}") from None
    return accounts


def _fleet_metrics(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    settings: Settings,
    accounts: list[Connection | DemoConnection],
    period: Period,
) -> int:
    from pathlib import Path

    from venice_tui.commands.fleet_metrics import FleetSource, write_fleet_textfile
    from venice_tui.commands.metrics_http import serve_fleet
    from venice_tui.commands.metrics_source import MetricsSource

    problem = _metrics_options_problem(args)
    if problem is not None:
        return _usage_error(parser, args, problem)
    fleet = FleetSource.of(
        [(a.profile, MetricsSource(a, period, a.budgets()[0], args.min_interval)) for a in accounts]
    )
    if args.textfile:
        return write_fleet_textfile(fleet, Path(args.textfile))
    host, port = _listen_address(args.listen)
    if not _may_listen(host, args, "the demo data" if settings.demo else "every profile"):
        return _usage_error(parser, args, _not_loopback(args.listen))
    return serve_fleet(fleet, host, port)


def _account(settings: Settings) -> Connection | DemoConnection:
    """The one place demo or live is chosen; everything after works with either."""
    if settings.demo:
        from venice_tui.demo.connection import DemoConnection

        return DemoConnection.standard().fleet_member(settings.profile)
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
