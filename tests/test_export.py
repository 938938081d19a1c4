"""Export (`e`) through Pilot on the fixed demo account: each screen's CSV and JSON byte for byte
against files in `tests/golden/export/` (`VENICE_TUI_UPDATE_GOLDEN=1` rewrites them after a
deliberate change), as filtered and sorted; the SVG picture; CSV quoting and JSON precision;
a folder that does not exist; keys typed while a screen opens."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.harness import demo_app, settle
from tests.ui_helpers import wait_until
from venice_tui.api.text import visible
from venice_tui.core.export import (
    ExportContext,
    ExportSpan,
    ExportTable,
    file_name,
    to_csv,
    to_json,
)
from venice_tui.demo.catalog import hostile_catalog
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.transport import DEMO_API_KEY
from venice_tui.ui.app import VeniceApp
from venice_tui.ui.screens.export_dialog import ExportDialog

GOLDEN = Path(__file__).parent / "golden" / "export"
FORMAT_ROW = {"csv": 0, "json": 1, "svg": 2}


def files(folder: Path) -> set[Path]:
    return {p for p in folder.iterdir() if not p.name.startswith(".")}


async def export(pilot: Pilot[Any], form: str, folder: Path) -> Path:
    """`e`, the format by arrow keys, the folder typed, Enter: as a person does it."""
    app = pilot.app
    before = files(folder)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
    await pilot.press(*["down"] * FORMAT_ROW[form], "tab", "end", "ctrl+u", *str(folder))
    await pilot.press("enter")
    await wait_until(pilot, lambda: bool(files(folder) - before))
    (new,) = files(folder) - before
    assert not isinstance(app.screen, ExportDialog)
    return new


def check_golden(path: Path, golden_name: str) -> None:
    golden = GOLDEN / golden_name
    data = path.read_bytes()
    if os.environ.get("VENICE_TUI_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{path.name} differs from {golden}"
    assert DEMO_API_KEY.encode() not in data


async def open_screen(pilot: Pilot[Any], key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def filter_rows(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


async def test_overview_exports_the_daily_totals(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "1")
        path = await export(pilot, "csv", tmp_path)
        assert path.name == "venice-demo-overview-30d-20261125T153000Z.csv"
        check_golden(path, "overview.csv")
        check_golden(await export(pilot, "json", tmp_path), "overview.json")


async def test_models_export_as_filtered_and_sorted(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "2")
        check_golden(await export(pilot, "json", tmp_path), "models.json")
        await filter_rows(pilot, "qwen")
        await pilot.press("less_than_sign")  # sort by DIEM, the column left of Share
        await settle(pilot)
        path = await export(pilot, "csv", tmp_path)
        check_golden(path, "models-qwen-by-diem.csv")
        rows = list(csv.DictReader(io.StringIO(path.read_text())))
        assert rows and all("qwen" in r["model"].lower() for r in rows)
        diem = [float(r["diem"]) for r in rows]
        assert diem == sorted(diem, reverse=True)


async def test_keys_export_with_limits_and_times(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "3")
        check_golden(await export(pilot, "csv", tmp_path), "keys.csv")
        await filter_rows(pilot, "batch")
        path = await export(pilot, "json", tmp_path)
        check_golden(path, "keys-batch.json")
        document = json.loads(path.read_text())
        assert document["filter"] == "batch" and document["screen"] == "keys"
        (row,) = document["rows"]
        assert row["key"] == "Batch pipeline" and row["limitPeriod"] == "MONTH"


async def test_history_exports_the_ledger_rows_the_filter_shows(tmp_path: Path) -> None:
    app = demo_app(ledger_days=2)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_screen(pilot, "4")
        await filter_rows(pilot, "flux")
        await wait_until(pilot, lambda: getattr(app.screen, "is_up_to_date", False))
        await settle(pilot)
        shown = app.screen.query_one("#history-totals", Static).render()
        path = await export(pilot, "csv", tmp_path)
        check_golden(path, "history-flux.csv")
        rows = list(csv.DictReader(io.StringIO(path.read_text())))
        assert str(shown).startswith(f"{len(rows):,} rows")
        assert all("flux" in r["sku"] for r in rows)
        times = [r["time"] for r in rows]
        assert times == sorted(times, reverse=True)
        # the file says what its rows are: the last 24 hours, not the dashboard's 30 days
        assert path.name == "venice-demo-history-24h-20261125T153000Z.csv"
        path = await export(pilot, "json", tmp_path)
        check_golden(path, "history-flux.json")
        period = json.loads(path.read_text())["period"]
        assert period["label"] == "the last 24 hours"
        assert period["start"] <= min(times) and max(times) < period["end"]
        await pilot.press("left_square_bracket")  # the day before
        await settle(pilot)
        path = await export(pilot, "json", tmp_path)
        assert path.name == "venice-demo-history-2026-11-24-20261125T153000Z.json"
        period = json.loads(path.read_text())["period"]
        assert period["start"] == "2026-11-24T00:00:00.000Z"
        assert period["end"] == "2026-11-25T00:00:00.000Z"


async def test_svg_is_a_picture_of_the_screen_without_the_dialog(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "2")
        app.notify("a toast that should not be in the picture")
        path = await export(pilot, "svg", tmp_path)
        assert path.suffix == ".svg"
        text = " ".join(ET.parse(path).getroot().itertext()).replace("\xa0", " ")
        assert "Models" in text and "Qwen" in text
        assert "Export Models" not in text and "toast" not in text
        assert DEMO_API_KEY not in path.read_text()
        await wait_until(pilot, lambda: any("Exported" in str(n.title) for n in app._notifications))


async def test_a_folder_that_does_not_exist_is_refused_in_the_dialog(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "2")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("tab", "end", "ctrl+u", *str(tmp_path / "nowhere"), "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#export-error", Static).render())
        assert "is not a folder" in error and isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog) and list(tmp_path.iterdir()) == []


async def test_e_typed_while_a_screen_opens_exports_that_screen() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("3", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.view_title == "API Keys"


async def test_the_palette_offers_the_export(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Export this view…" in titles


async def test_hostile_names_are_quoted_in_csv_and_shown_as_the_dashboard_shows_them(
    tmp_path: Path,
) -> None:
    app: VeniceApp = demo_app(account=DemoAccount.hostile())
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "2")
        path = await export(pilot, "csv", tmp_path)
    raw = path.read_text()
    assert '\n"team ""A"", west\\east",' in raw
    assert "\x1b" not in raw and "\x9b" not in raw
    names = {row["model"] for row in csv.DictReader(io.StringIO(raw))}
    assert names == {visible(model.name) for model in hostile_catalog()[0]}


CONTEXT = ExportContext(
    profile="work/ops team",
    span=ExportSpan.of_days("30d", "30d", date(2026, 10, 27), date(2026, 11, 25)),
    at=datetime(2026, 11, 25, 15, 30, tzinfo=UTC),
)


def test_csv_quotes_commas_quotes_and_line_breaks() -> None:
    table = ExportTable(
        "models", ("name", "usd", "flag", "none"), [('a, "b"\nc', 0.1 + 0.2, True, None)]
    )
    assert to_csv(table) == 'name,usd,flag,none\n"a, ""b""\nc",0.30000000000000004,true,\n'
    assert list(csv.reader(io.StringIO(to_csv(table))))[1][0] == 'a, "b"\nc'


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_text_in_csv_alone() -> None:
    name = '=HYPERLINK("http://evil.example","x")'
    table = ExportTable("models", ("model", "usd"), [(name, -1.5), ("@SUM(1)", 2.0)])
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows[1] == ["'" + name, "-1.5"] and rows[2] == ["'@SUM(1)", "2"]
    assert json.loads(to_json(table, CONTEXT))["rows"][0]["model"] == name


@pytest.mark.parametrize("number", [32.681995, 0.000123456789, 1e-9, 86418950.0, 123456789.1234])
def test_json_numbers_read_back_as_the_same_float(number: float) -> None:
    table = ExportTable("models", ("usd",), [(number,)])
    assert json.loads(to_json(table, CONTEXT))["rows"][0]["usd"] == number


def test_the_file_name_says_profile_screen_period_and_time() -> None:
    assert (
        file_name(CONTEXT, "keys", "json") == "venice-work_ops_team-keys-30d-20261125T153000Z.json"
    )


async def test_a_file_that_cannot_be_written_is_an_error_notification(tmp_path: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "2")
        (tmp_path / "venice-demo-models-30d-20261125T153000Z.csv").mkdir()  # in the file's way
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("tab", "end", "ctrl+u", *str(tmp_path), "enter")
        await wait_until(pilot, lambda: any(n.title == "Export failed" for n in app._notifications))
        (note,) = [n for n in app._notifications if n.title == "Export failed"]
        assert note.severity == "error" and "Could not export to" in note.message
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "venice-demo-models-30d-20261125T153000Z.csv"
        ]
