"""`venice-tui statusline` in process, against the in-process demo (`--demo`): a status file
that is not ours is treated as absent (a fetch, not `venice ? (TypeError)`), numbers that are
not finite are refused, a file dated in the future is not fresh, `--format` with a field we do
not have is one line and exit 2, and `--help` (of every command) is help, exit 0."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from venice_tui.api.clock import utc_now
from venice_tui.cli import main
from venice_tui.commands.statusline import run_statusline
from venice_tui.core.status_summary import StatusSummary, read_summary, summary_path


def demo_file() -> Path:
    """Where `--demo` keeps its numbers: under the test's own cache folder (conftest)."""
    return Path(summary_path("demo"))


def summary(**changes: object) -> dict[str, object]:
    good: dict[str, object] = {
        "at": utc_now().isoformat(),
        "today_usd": 1.5,
        "today_diem": 2.0,
        "month_usd": 30.0,
        "budget_usd": None,
        "diem_left": 4.0,
        "diem_allocation": 12.0,
        "balance_usd": 100.0,
    }
    return {**good, **changes}


def write(text: str) -> None:
    demo_file().parent.mkdir(parents=True, exist_ok=True)
    demo_file().write_text(text)


def fetched_now(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The line printed, after checking that it came from a fetch (the file was rewritten)."""
    assert run_statusline(["--demo", *args]) == 0
    line = capsys.readouterr().out.strip()
    written = read_summary(demo_file())
    assert written is not None and written.moment == utc_now(), "no fetch was made"
    return line


NOT_OURS = {  # built in the test: parameters must be the same in every xdist worker
    "at a number": lambda: json.dumps(summary(at=5)),
    "at not a time": lambda: json.dumps(summary(at="yesterday")),
    "at without offset": lambda: json.dumps(summary(at="2026-11-25T15:00:00")),
    "budget a string": lambda: json.dumps(summary(budget_usd="lots")),
    "today a boolean": lambda: json.dumps(summary(today_usd=True)),
    "a field of another": lambda: json.dumps(summary(extra=1)),
    "a list": lambda: json.dumps([1, 2]),
    "numbers missing": lambda: '{"at": "2026-11-25T15:29:00+00:00"}',
    "not JSON": lambda: "not json",
}


@pytest.mark.parametrize("case", sorted(NOT_OURS))
def test_a_status_file_that_is_not_ours_is_treated_as_absent(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(NOT_OURS[case]())
    line = fetched_now(capsys)
    assert "today" in line and "venice ?" not in line and "Error" not in line


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_numbers_that_are_not_finite_are_refused(
    number: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(json.dumps(summary()).replace('"today_usd": 1.5', f'"today_usd": {number}'))
    assert read_summary(demo_file()) is None
    line = fetched_now(capsys)
    assert "nan" not in line.lower() and "inf" not in line.lower()


def test_a_file_dated_in_the_future_is_not_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    ahead = utc_now() + timedelta(days=365)
    write(json.dumps(summary(at=ahead.isoformat(), today_usd=999.0)))
    line = fetched_now(capsys)
    assert "$999.00" not in line


def test_a_file_dated_in_the_future_is_shown_stale_when_no_fetch_succeeds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from venice_tui.commands import statusline

    ahead = utc_now() + timedelta(hours=2)
    write(json.dumps(summary(at=ahead.isoformat(), today_usd=999.0)))
    monkeypatch.setattr(statusline, "_fetch_within", lambda *args: None)
    assert run_statusline(["--demo", "--format", "{today}{stale} {age}"]) == 0
    assert capsys.readouterr().out.strip() == "$999.00 (stale, dated ahead) ?"


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{nope}", "--format '{nope}': {nope} is not a field; use {today} {today_diem}"),
        ("{today.real}", "{today.real} is not a field"),
        ("{}", "{} is not a field"),
        ("{today", "has a lone brace: write {{ or }} for one"),
        ("{today:.2f}", "cannot be filled: a field takes only width and alignment"),
    ],
)
def test_a_format_we_cannot_fill_is_one_line_and_exit_2_before_any_fetch(
    template: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_statusline(["--demo", "--format", template]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and says in err
    assert err.startswith("venice-tui statusline: error: ")
    assert read_summary(demo_file()) is None  # nothing was fetched


def test_statusline_help_is_help_on_stdout_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("--help", "-h"):
        assert run_statusline([flag]) == 0
        out, err = capsys.readouterr()
        assert out.startswith("usage: venice-tui statusline") and "--format" in out and err == ""


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["report"],
        ["balance"],
        ["check"],
        ["sync"],
        ["metrics"],
        ["serve"],
        ["statusline"],
        ["auth"],
        ["auth", "login"],
        ["auth", "status"],
        ["auth", "logout"],
        ["demo-server"],
    ],
)
def test_every_commands_help_exits_0(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main([*command, "--help"])
    except SystemExit as exit_:
        code = exit_.code  # argparse's help exits
    assert code in (0, None)
    assert "usage:" in capsys.readouterr().out


def test_the_summary_type_still_round_trips() -> None:
    moment = datetime.fromisoformat("2026-11-25T15:00:00+00:00")
    again = StatusSummary(**summary(at=moment.isoformat()))
    assert again.moment == moment
