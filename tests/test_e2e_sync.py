"""The real `venice-tui sync` against the demo server on loopback: a first walk, an incremental
one, CSV pages, reconciliation after `report` folded the usage in, and a sync interrupted
half-way that the next run finishes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
KEY = "sk-admin-e2e-sync"


def venice(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def archive_rows(env: dict[str, str]) -> int:
    found = list(Path(env["VENICE_TUI_DATA_DIR"]).glob("archive-*.sqlite3"))
    if not found:
        return 0
    try:
        with sqlite3.connect(f"file:{found[0]}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_sync_then_again_then_csv_and_reconciled_after_report(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)
    first = venice(env, "sync")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("synced ") and "Traceback" not in first.stderr
    rows = archive_rows(env)
    assert rows > 30_000 and f"{rows:,} in the archive" in first.stdout
    assert venice(env, "report", "-l", "30d").returncode == 0  # the usage, into the archive
    again = venice(env, "sync")
    assert again.returncode == 0 and again.stdout.startswith("synced 0 new ledger rows")
    assert "reconciled: the ledger matches usage-analytics on all 29 days" in again.stdout
    as_csv = venice(env, "sync", "--csv", "--since", "2026-11-20")
    assert as_csv.returncode == 0 and as_csv.stdout.startswith("synced 0 new ledger rows")
    assert archive_rows(env) == rows
    bad = venice(env, "sync", "--since", "2026-13-01")
    assert bad.returncode == 2 and "not a real calendar date" in bad.stderr


def test_an_interrupted_sync_is_finished_by_the_next_one(demo_server: DemoServerProcess) -> None:
    whole = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)
    assert venice(whole, "sync", "--since", "2026-10-01").returncode == 0
    env = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)
    process = subprocess.Popen(
        [sys.executable, "-m", "venice_tui", "sync", "--since", "2026-10-01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl+C as a person's terminal sends it: the suite may itself run where SIGINT is
        # ignored (a background job), and a child inherits that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        for _ in range(6000):  # wait for the state, not a time: some pages are stored
            if archive_rows(env) >= 3000 or process.poll() is not None:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the sync ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    stopped_at = archive_rows(env)
    assert 0 < stopped_at < archive_rows(whole)
    resumed = venice(env, "sync")
    assert resumed.returncode == 0, resumed.stderr
    assert "continuing the sync that stopped before" in resumed.stderr
    assert archive_rows(env) == archive_rows(whole)


def test_a_cursor_sent_back_again_stops_the_sync_with_one_line(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)
    demo_server.fault("ledger-loop", path="/billing/usage-history")
    looped = venice(env, "sync", "--since", "2026-11-20")
    assert looped.returncode == 1 and "Traceback" not in looped.stderr
    assert "Venice sent a ledger cursor it had sent before" in looped.stderr
    assert demo_server.stats()["byPath"]["/api/v1/billing/usage-history"] == 2
    demo_server.fault("none")
    again = venice(env, "sync")
    assert again.returncode == 0, again.stderr


def test_a_row_dated_9999_is_left_out_and_the_next_sync_goes_on(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)
    demo_server.fault("ledger-future", count=1, path="/billing/usage-history")
    first = venice(env, "sync", "--since", "2026-11-24")
    assert first.returncode == 0, first.stderr
    assert "left out 1 ledger row dated more than a day ahead" in first.stderr
    again = venice(env, "sync")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("synced 0 new ledger rows")
