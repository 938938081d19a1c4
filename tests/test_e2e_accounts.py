"""Two Venice accounts logged in one after the other under one profile, against the loopback
demo server (a key holding `other-account` is a key of its second account): `report`,
`--offline`, `metrics` and the dashboard each show the numbers of the key's own account, never
the other's, and the first account's numbers are still there when its key comes back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DemoServerProcess, cli_env
from tests.ui_helpers import wait_until
from venice_tui.api.period import Period
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.run import build_app

pytestmark = pytest.mark.e2e
KEY_A = "sk-admin-first-account-0123456789"
KEY_B = "sk-admin-other-account-0123456789"


def run(env: dict[str, str], key: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env={**env, "VENICE_API_KEY": key},
        timeout=120,
    )
    assert "Traceback" not in result.stderr and key not in result.stderr + result.stdout
    return result


def totals(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    value: dict[str, Any] = json.loads(result.stdout)["totals"]
    return value


def dashboard_with_key_b(
    env: dict[str, str], server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> VeniceApp:
    """The dashboard of profile `default` with B's key, on the folders the CLI runs used."""
    for name in ("VENICE_TUI_CONFIG_DIR", "VENICE_TUI_CACHE_DIR", "VENICE_TUI_DATA_DIR"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.setenv("VENICE_API_KEY", KEY_B)
    settings = Settings(
        base_url=server.base_url, chosen_base_url=server.base_url, profile="default"
    )
    return build_app(settings, Connection(settings), Period.lookback(7), 60)


def totals_shown(app: VeniceApp) -> list[float]:
    """Every USD total the store holds from now on, as it changes."""
    seen: list[float] = []
    app.store.subscribe(
        lambda: seen.append(app.store.snapshot.analytics.totals.usd) if app.store.snapshot else None
    )
    return seen


def test_a_new_account_under_an_old_profile_never_shows_the_old_ones_numbers(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url)
    long = ("report", "--json", "-l", "150d")
    first_a = totals(run(env, KEY_A, *long))
    fresh_b = totals(run(cli_env(VENICE_BASE_URL=demo_server.base_url), KEY_B, *long))
    assert fresh_b != first_a  # two accounts, two sets of numbers

    then_b = run(env, KEY_B, *long)
    assert totals(then_b) == fresh_b  # nothing of A's archive
    assert "from the archive" not in then_b.stderr
    assert "another Venice account" in then_b.stderr

    again_a = run(env, KEY_A, *long)
    assert totals(again_a) == first_a
    assert "days from the archive" in again_a.stderr  # A's own archive is still A's

    month = ("report", "--json", "-l", "30d")
    month_a, month_b = totals(run(env, KEY_A, *month)), totals(run(env, KEY_B, *month))
    assert month_a != month_b
    assert totals(run(env, KEY_A, *month, "--offline")) == month_a  # each its own cache
    assert totals(run(env, KEY_B, *month, "--offline")) == month_b


def test_metrics_of_the_new_account_are_its_own(
    demo_server: DemoServerProcess, tmp_path: Path
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url)
    month = ("report", "--json", "-l", "30d")
    a, b = totals(run(env, KEY_A, *month)), totals(run(env, KEY_B, *month))
    target = tmp_path / "venice.prom"
    written = run(env, KEY_B, "metrics", "--textfile", str(target), "-l", "30d")
    assert written.returncode == 0, written.stderr
    line = next(
        row
        for row in target.read_text().splitlines()
        if row.startswith("venice_spend_usd{") and 'window="period"' in row
    )
    shown = float(line.rsplit(" ", 1)[1])
    assert shown == pytest.approx(b["usd"], abs=0.005) and shown != pytest.approx(a["usd"])


async def test_the_dashboard_of_the_new_account_never_paints_the_old_ones(
    demo_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url)
    week = ("report", "--json", "-l", "7d")
    a, b = totals(run(env, KEY_A, *week)), totals(run(env, KEY_B, *week))
    run(env, KEY_A, *week)  # the profile showed A last: A's data is on disk for it
    app = dashboard_with_key_b(env, demo_server, monkeypatch)
    first = app.store.snapshot  # the first frame, from disk: B's own, never A's
    assert first is not None and first.analytics.totals.usd == pytest.approx(b["usd"])
    seen = totals_shown(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                app.store.snapshot is not None
                and app.session.opened is not None
                and app.session.opened.files is not None
            ),
        )
        opened = app.session.opened
        assert opened is not None and opened.files is not None and app.archive is not None
        assert str(app.archive.path) == str(opened.files.archive_path())
    assert seen and all(usd == pytest.approx(b["usd"]) for usd in seen)
    assert a["usd"] != pytest.approx(b["usd"])


async def test_a_key_never_seen_paints_nothing_until_its_account_is_known(
    demo_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url)
    a = totals(run(env, KEY_A, "report", "--json", "-l", "7d"))
    app = dashboard_with_key_b(env, demo_server, monkeypatch)  # B: never used here before
    assert app.store.snapshot is None  # A's numbers are on disk, and are not B's
    seen = totals_shown(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(
            pilot,
            lambda: app.session.opened is not None and app.session.opened.files is not None,
        )
        await wait_until(pilot, lambda: app.store.snapshot is not None)
    assert seen and all(usd != pytest.approx(a["usd"]) for usd in seen)
