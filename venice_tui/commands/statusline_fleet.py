"""`venice-tui statusline --all-profiles` (or `--profiles a,b`): one compact line over several
accounts, the worst first, as cheap as the one-profile line: each account's summary file
(`core.status_summary`, kept by the dashboard, `check` and `report`) is read with the standard
library; only the accounts whose summary is missing or older than `--max-age` are fetched, side
by side, all within the one `--timeout`. An account with nothing to show reads `NAME ?`."""

from __future__ import annotations

import os
import sys
import threading
import time

from venice_tui.api.clock import utc_now
from venice_tui.commands.statusline import _fetch, _template, base_url_of, render
from venice_tui.core.fleet_names import DEMO_FLEET, UnknownProfiles, selected
from venice_tui.core.fs import current_account_digest
from venice_tui.core.status_summary import WORST_WORDS, StatusSummary, read_summary, summary_path

FLEET_FORMAT = "{profile}{worst_part} {month}{budget_part}{stale}"
SEPARATOR = " · "
#: Where an account without a known worst goes (`WORST_WORDS`): with the warnings.
_UNKNOWN = WORST_WORDS.index("warning")


def run_fleet(options: dict[str, str], max_age: float, timeout: float, template: str | None) -> int:
    fmt = _template(template) if template is not None else FLEET_FORMAT
    if not options.get("demo") and os.environ.get("VENICE_API_KEY", "").strip():
        print(
            "venice-tui statusline: error: VENICE_API_KEY is set: it would be every profile's "
            "key; unset it to read each profile with its own stored key",
            file=sys.stderr,
        )
        return 2
    try:
        profiles = selected(_profiles(options), options.get("--profiles"))
    except UnknownProfiles as exc:
        print(f"venice-tui statusline: error: {exc}", file=sys.stderr)
        return 2
    now = utc_now()
    places = {name: _place(options, name) for name in profiles}
    kept = {name: _summary(options, name, base_url) for name, base_url in places.items()}
    fresh = {
        name
        for name, summary in kept.items()
        if summary is not None and 0 <= (now - summary.moment).total_seconds() < max_age
    }
    fetched = _fetch_all(options, [n for n in profiles if n not in fresh], places, timeout)
    shown: list[tuple[tuple[int, float, str], str]] = []
    for name in profiles:
        summary = fetched.get(name) or kept[name]
        if summary is None:
            shown.append(((0, 0.0, name), f"{name} ?"))
            continue
        stale = name not in fresh and name not in fetched
        line = render(fmt, summary, now, stale, profile=name)
        shown.append((_rank(summary, name), line))
    shown.sort(key=lambda pair: pair[0])
    print(SEPARATOR.join(line for _, line in shown))
    return 0 if any(kept[n] or fetched.get(n) for n in profiles) else 1


def _profiles(options: dict[str, str]) -> list[str]:
    if options.get("demo"):
        return list(DEMO_FLEET)
    from venice_tui.core import key_file
    from venice_tui.core.config import load_config

    config = load_config()
    stored = sorted({*config.profiles, *key_file.read_keys()})
    if options.get("--profiles") is not None:
        return sorted({*stored, config.default_profile or "default"})
    return stored or [config.default_profile or "default"]


def _place(options: dict[str, str], profile: str) -> str:
    return "https://demo.invalid/api/v1" if options.get("demo") else base_url_of(options, profile)


def _summary(options: dict[str, str], profile: str, base_url: str) -> StatusSummary | None:
    digest = profile if options.get("demo") else current_account_digest(profile, base_url)
    return read_summary(summary_path(digest)) if digest else None


def _fetch_all(
    options: dict[str, str], names: list[str], places: dict[str, str], timeout: float
) -> dict[str, StatusSummary]:
    """The fresh summaries that came within `timeout` in all (daemon threads: the exit does
    not wait for the others)."""
    results: dict[str, StatusSummary] = {}

    def fetch(name: str) -> None:
        try:
            results[name] = _fetch(options, name, places[name], timeout)
        except Exception:  # any failure means: show the stale value, or `NAME ?`
            return

    workers = [threading.Thread(target=fetch, args=(n,), daemon=True) for n in names]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    return dict(results)


def _rank(summary: StatusSummary, name: str) -> tuple[int, float, str]:
    """Worst first; then the one furthest into its budget; then by name."""
    worst = summary.worst
    kind = int(worst) if worst is not None and 0 <= worst < len(WORST_WORDS) else _UNKNOWN
    budget = summary.budget_usd
    share = summary.month_usd / budget if budget else 0.0
    return (kind, -share, name)
