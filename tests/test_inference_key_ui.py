"""An INFERENCE key in the dashboard with nothing on disk (issue 20.7), end to end: the real app
against the loopback demo-server. The Overview shows the key's own balance, DIEM and reset, the
same figures `venice-tui balance` prints for that key, and one line on what an ADMIN key adds;
no error panel in their place."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from textual.widgets import ContentSwitcher, Static

from tests.conftest import DemoServerProcess, cli_env
from tests.ui_helpers import wait_until
from venice_tui.api.period import Period
from venice_tui.core import format as fmt
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app
from venice_tui.ui.screens.overview import OverviewScreen
from venice_tui.ui.widgets.kpi import KpiTile

INFERENCE = "inference-key-0123456789SECRET"


def balance_json(server: DemoServerProcess) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "balance", "--json"],
        capture_output=True,
        text=True,
        env=cli_env(VENICE_API_KEY=INFERENCE, VENICE_BASE_URL=server.base_url),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
async def test_an_inference_key_shows_its_own_balance_diem_and_reset(
    demo_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("VENICE_API_KEY", INFERENCE)
    settings = Settings(
        base_url=demo_server.base_url, chosen_base_url=demo_server.base_url, profile="default"
    )
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.store.account.inference_key)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        await wait_until(pilot, lambda: screen.query_one("#kpi-balance", KpiTile).value != "—")
        assert app.store.snapshot is None  # no usage at all: nothing on disk, billing refused
        assert screen.query_one("#states", ContentSwitcher).current == "state-content"
        balance = screen.query_one("#kpi-balance", KpiTile)
        diem = screen.query_one("#kpi-diem-left", KpiTile)
        adds = screen.query_one("#admin-adds", Static)
        # Laid out one refresh after the values arrive: wait for the layout, not a moment.
        await wait_until(
            pilot,
            lambda: balance.region.height >= 4 and diem.region.height >= 4,  # the notes show
        )
        await wait_until(pilot, lambda: adds.display and adds.region.height > 0)
        assert not screen.query_one("#kpis").display  # no usage tiles made of nothing
        assert not screen.query_one("#overview-main").display
        key = balance_json(demo_server)["key"]
        assert isinstance(key, dict)
        assert balance.value == fmt.usd(key["usd"]) and "this key's own balance" in balance.note
        assert diem.value == f"{fmt.diem(key['diem'])} DIEM"
        assert diem.note.startswith("resets in ")
        said = str(adds.render())
        assert "INFERENCE key" in said and "an ADMIN key adds the usage" in said
        assert "Log in with another key" in said
        assert INFERENCE not in said


async def test_an_admin_key_afterwards_brings_the_whole_overview_back(
    demo_server: DemoServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENICE_API_KEY", "sk-admin-after-inference-0123456789")
    settings = Settings(
        base_url=demo_server.base_url, chosen_base_url=demo_server.base_url, profile="default"
    )
    app = build_app(settings, Connection(settings), Period.lookback(7), 60)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        await wait_until(pilot, lambda: screen.query_one("#kpis").display)
        assert not screen.query_one("#admin-adds").display
