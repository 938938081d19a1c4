"""Budgets and alerts in the dashboard through Pilot: the palette writes the budget and keeps the
person's comments, the bar and the colours follow it, and each crossing alerts exactly once, also
after a restart. The demo month so far is $260.12 on Nov 25 at 15:30, today $2.35 (today's 12 DIEM
went first); its key "Staging" is at its daily Venice limit and "Batch pipeline" at 82% of its
monthly one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.color import Color
from textual.widgets import Input

from tests.harness import demo_app, settle
from tests.ui_helpers import wait_until
from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.screens.alert_log import AlertLogScreen
from venice_tui.ui.screens.budget_dialog import BudgetDialog
from venice_tui.ui.widgets.budget_bar import BudgetBar
from venice_tui.ui.widgets.data_grid import DataGrid
from venice_tui.ui.widgets.kpi import KpiTile

CONFIG = """\
# my venice-tui settings: keep this line
default_profile = "demo"   # and this one

[budget.demo]
# a day is enough for the demo
daily_usd = 15.0  # per UTC day

[my_own_table]
note = "venice-tui does not know me"
"""


DIEM_USED_UP = (
    "Today's DIEM allowance is used up: requests are paid in credits or USD until 00:00 UTC"
)


def config_file() -> Path:
    return Path(os.environ["VENICE_TUI_CONFIG_DIR"]) / "config.toml"


def write_config(text: str) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text(text)


class Delivered:
    """What the app delivered: notifications (by severity) and bells."""

    def __init__(self, app: VeniceApp) -> None:
        self.notes: list[tuple[str, str]] = []
        self.bells = 0
        notify, bell = app.notify, app.bell

        def record_notify(message: str, *args: Any, **kwargs: Any) -> None:
            self.notes.append((kwargs.get("severity", "information"), message))
            notify(message, *args, **kwargs)

        def record_bell() -> None:
            self.bells += 1
            bell()

        app.notify = record_notify  # type: ignore[method-assign]
        app.bell = record_bell  # type: ignore[method-assign]

    def alerts(self) -> list[str]:
        return [m for severity, m in self.notes if severity in ("warning", "error")]


def bar_text(app: VeniceApp) -> str:
    return str(app.screen.query_one(BudgetBar).render())


async def test_the_palette_sets_the_monthly_budget_keeping_comments_and_the_bar_follows() -> None:
    write_config(CONFIG)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        delivered = Delivered(app)
        assert app.budgets.account.daily_usd == 15.0 and app.budgets.account.monthly_usd is None
        assert "No monthly budget" in bar_text(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"monthly budget")
        await wait_until(pilot, lambda: _palette_offers(app, "Set monthly budget…"))
        await pilot.press("enter")
        await pilot.press(
            *"250x", "enter"
        )  # typed at once: the dialog gets every key  # not a number: refused in the dialog
        await wait_until(pilot, lambda: "is not a budget" in _dialog_error(app))
        await pilot.press("backspace", "enter")
        await wait_until(pilot, lambda: app.budgets.account.monthly_usd == 250.0)
        await settle(pilot)
        text = config_file().read_text()
        for kept in (*CONFIG.splitlines(), "monthly_usd = 250.0"):
            assert kept in text, kept
        assert "$260.12 of $250.00 (104%)" in bar_text(app)
        assert f"{GLYPHS.cross} over budget" in bar_text(app)
        assert app.screen.query_one("#kpi-projection", KpiTile).has_class("-over")
        assert any("monthly budget is set to $250.00" in m for _, m in delivered.notes)
        assert delivered.alerts() == [
            "The account is over budget: $260.12 of $250.00 this month (104%)"
        ]


def _palette_offers(app: VeniceApp, prompt: str) -> bool:
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return False
    options = lists.first().options
    return bool(options) and prompt in str(options[0].prompt)


def _dialog_error(app: VeniceApp) -> str:
    from textual.widgets import Static

    if not isinstance(app.screen, BudgetDialog):
        return ""
    return str(app.screen.query_one("#budget-error", Static).render())


async def test_an_empty_budget_removes_it_and_escape_changes_nothing() -> None:
    write_config(CONFIG)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.action_set_budget("daily_usd")
        await wait_until(pilot, lambda: bool(app.screen.query(Input)))
        assert isinstance(app.screen, BudgetDialog) and app.screen.query_one(Input).value == "15"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, BudgetDialog))
        assert config_file().read_text() == CONFIG
        app.action_set_budget("daily_usd")
        await wait_until(pilot, lambda: bool(app.screen.query(Input)))
        await pilot.press("ctrl+u", "enter")
        await wait_until(pilot, lambda: app.budgets.account.daily_usd is None)
        text = config_file().read_text()
        assert "daily_usd" not in text and "# a day is enough for the demo" in text


async def test_tiles_and_rows_take_the_themes_colours_and_say_it_in_symbols() -> None:
    write_config(
        "[budget.demo]\ndaily_usd = 2\nmonthly_usd = 300\n"
        'models = { "GLM 5.1" = { monthly_usd = 10 } }\n'
    )
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#kpi-today", KpiTile)
        forecast = app.screen.query_one("#kpi-projection", KpiTile)
        assert today.has_class("-over") and today.note.startswith(GLYPHS.cross)
        # $265.10 of $300 spent: near budget, as the bar says it (the forecast passes $300)
        assert forecast.has_class("-warning") and forecast.note.startswith(GLYPHS.warn)
        assert bar_text(app).endswith(f"{GLYPHS.warn} near budget")
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await settle(pilot)
            error = Color.parse(app.theme_variables["error"])
            assert today.styles.border_top[1] == error, theme
        await pilot.press("2")
        await settle(pilot)
        rows = {r.key: r for r in app.screen.query_one(DataGrid).rows}
        glm = next(r for r in rows.values() if r.cells[0].endswith("GLM 5.1"))
        assert glm.tone == "error" and glm.cells[0] == f"{GLYPHS.cross} GLM 5.1"
        others = [r for r in rows.values() if r is not glm]
        assert others and all(r.tone == "" for r in others)
        await pilot.press("3")
        await settle(pilot)
        keys = {r.key[:8]: r for r in app.screen.query_one(DataGrid).rows}
        batch, staging = keys["8b1d4e22"], keys["c5a7e913"]  # near its limit, past its limit
        assert batch.tone == "warning" and batch.cells[0] == f"{GLYPHS.warn} Batch pipeline"
        assert staging.tone == "error" and staging.cells[0].startswith(f"{GLYPHS.cross} Staging")
        assert keys["3f9c2a71"].tone == "" and keys["3f9c2a71"].cells[0] == "Production API"


async def test_each_crossing_alerts_once_also_after_a_restart_and_the_log_is_one_key_away() -> None:
    first = demo_app()
    async with first.run_test(size=(120, 36)) as pilot:
        delivered = Delivered(first)
        await settle(pilot)
        await wait_until(pilot, lambda: len(delivered.alerts()) == 2)
        assert sorted(delivered.alerts()) == [
            "Batch pipeline is near its Venice limit: $54.24 of $65.66 this month (82%)",
            "Staging (...1a3b57) is at its Venice limit: 0.77 of 0.77 DIEM today (100%)",
        ]
        assert delivered.bells == 2
        await pilot.press("r")
        await settle(pilot)
        await wait_until(pilot, lambda: not first.store.status.loading)
        assert len(delivered.alerts()) == 2  # the same crossing, fetched again: no news
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(first.screen, AlertLogScreen))
        log = first.screen
        # and the day's DIEM, spent by 15:30 (it pays first), as information
        assert isinstance(log, AlertLogScreen) and len(log.entries) == 3
        assert [e.level for e in log.entries].count("info") == 1
        await pilot.press("escape")
    restarted = demo_app()
    async with restarted.run_test(size=(120, 36)) as pilot:
        delivered = Delivered(restarted)
        await settle(pilot)
        assert restarted.findings and delivered.alerts() == []
        assert delivered.bells == 0


async def test_the_bell_can_be_turned_off_and_a_notify_command_gets_the_message(
    tmp_path: Path,
) -> None:
    out = tmp_path / "told.txt"
    script = tmp_path / "notifier.py"
    script.write_text(
        f"import sys, pathlib\npathlib.Path({str(out)!r}).open('a').write(sys.argv[1] + '\\n')\n"
    )
    import sys

    write_config(
        f"[alerts]\nbell = false\nnotify_command = [{sys.executable!r}, {str(script)!r}]\n"
    )
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        delivered = Delivered(app)
        await settle(pilot)
        await wait_until(pilot, lambda: len(delivered.alerts()) == 2)
        # the two key limits, and the day's DIEM spent by 15:30 (information: no bell)
        await wait_until(
            pilot, lambda: out.exists() and len(out.read_text().splitlines()) == 3, seconds=60
        )
        assert delivered.bells == 0
        told = sorted(out.read_text().splitlines())
        assert told == sorted([*delivered.alerts(), DIEM_USED_UP])


async def test_a_bad_budget_is_one_line_naming_the_file_and_the_app_still_starts() -> None:
    write_config('[budget.demo]\nmonthly_usd = "lots"\n[alerts]\nwarn_at = 120\nalert_at = 100\n')
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        delivered = Delivered(app)
        await settle(pilot)
        app.reload_budgets()
        await settle(pilot)
        warnings = [m for s, m in delivered.notes if s == "warning" and "config.toml" in m]
        assert any(
            "budget.demo.monthly_usd = 'lots' is not a budget: use a number of USD above 0" in m
            for m in warnings
        )
        assert any(
            "alerts.warn_at (120) must be below alerts.alert_at (100)" in m for m in warnings
        )
        assert all("\n" not in m for m in warnings)
        assert app.screen.query_one("#kpi-usd", KpiTile).value.startswith("$")


def test_a_tile_says_a_forecasts_own_words_where_its_note_cannot_show() -> None:
    from venice_tui.ui.widgets.kpi import level_words

    warn, cross = GLYPHS.warn, GLYPHS.cross
    assert level_words("") == ()
    assert level_words("over") == (f"{cross} over budget", f"{cross} over")
    assert level_words("warning") == (f"{warn} near budget", f"{warn} near")
    # A forecast past the budget is a warning, but never called `near` once it is over.
    assert level_words("warning", "forecast over budget") == (
        f"{warn} forecast over budget",
        f"{warn} over budget",
        f"{warn} over",
    )
    assert level_words("warning", "forecast near budget")[-1] == f"{warn} near"


async def test_at_80x24_the_forecast_tile_says_over_when_the_forecast_passes_the_budget() -> None:
    # $260.12 spent of $330 (78%) is below the warning line; the month's forecast (about $336)
    # passes the budget: the bar says `forecast over budget`, and so must the tile's border.
    write_config("[budget.demo]\nmonthly_usd = 330\n")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        forecast = app.screen.query_one("#kpi-projection", KpiTile)
        assert bar_text(app).endswith(f"{GLYPHS.warn} forecast over budget"), bar_text(app)
        assert not forecast.note_shows
        assert forecast.border_subtitle.endswith(f"{GLYPHS.warn} over"), forecast.border_subtitle
