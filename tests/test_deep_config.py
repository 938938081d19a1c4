"""A `config.toml` nested 1,000 deep (arrays or inline tables) once made every command end in
`unexpected error (RecursionError)`: now the defaults apply with one warning line naming the
file, the dashboard's edits refuse to touch it, and a key file like it reads as empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from venice_tui.cli import main
from venice_tui.core import key_file
from venice_tui.core.config import ConfigWriteError, config_path, edit_config, load_config

DEEP = {
    "arrays": "a = " + "[" * 1000 + "]" * 1000 + "\n",
    "inline tables": "a = " + "{b = " * 1000 + "1" + "}" * 1000 + "\n",
}
WARNING = "has arrays or inline tables nested too deeply to be read; defaults apply"


@pytest.fixture(params=sorted(DEEP))
def deep_config(request: pytest.FixtureRequest) -> str:
    text = DEEP[request.param]
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text)
    return text


def test_load_config_gives_defaults_and_one_line_naming_the_file(deep_config: str) -> None:
    config = load_config()
    assert config.default_profile is None and config.data == {}
    assert len(config.problems) == 1
    assert config.problems[0].endswith(f"config.toml: {WARNING}")


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--demo", "--json"],
        ["balance", "--demo"],
        ["check", "--demo"],
        ["metrics", "--demo", "--textfile", "{tmp}/venice.prom"],
        ["auth", "status"],
    ],
)
def test_every_command_runs_on_defaults_with_one_warning_line(
    deep_config: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([part.replace("{tmp}", str(tmp_path)) for part in command])
    out, err = capsys.readouterr()
    assert "RecursionError" not in out + err and "unexpected error" not in err
    assert code in (0, 3, 4)  # check weighs the demo month against the demo budget
    warnings = [line for line in err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].endswith(f"config.toml: {WARNING}"), err


def test_statusline_shows_numbers(deep_config: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["statusline", "--demo"]) == 0
    assert "today" in capsys.readouterr().out


def test_an_edit_refuses_to_touch_it_in_one_line(deep_config: str) -> None:
    with pytest.raises(ConfigWriteError) as refused:
        edit_config(lambda document: document.add("default_profile", "work"))
    assert "nothing was changed" in str(refused.value)
    assert config_path().read_text() == deep_config


def test_a_key_file_nested_that_deep_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(DEEP["arrays"])
    assert key_file.read_keys(path) == {}
