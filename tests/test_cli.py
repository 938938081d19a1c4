import pytest

from venice_tui.cli import build_parser, main


@pytest.mark.parametrize(
    "argv",
    [["-l", "30d", "report"], ["report", "-l", "30d"], ["--lookback", "30d", "report", "--json"]],
)
def test_period_options_work_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.lookback == "30d"


def test_global_options_reach_auth_commands() -> None:
    args = build_parser().parse_args(["--profile", "work", "auth", "status"])
    assert args.profile == "work"
    assert build_parser().parse_args(["auth", "status", "--profile", "home"]).profile == "home"


@pytest.mark.parametrize("value", ["5", "abc", "-1"])
def test_refresh_below_ten_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--refresh", value, "--demo"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--refresh" in err and err.count("\n") == 1


def test_bad_timeout_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "--timeout", "0", "--demo"])
    assert caught.value.code == 2 and "1 to 600" in capsys.readouterr().err


def test_serve_gives_each_dashboard_the_profile_period_and_timeout_never_a_key() -> None:
    from venice_tui.cli import build_parser, dashboard_command
    from venice_tui.core.settings import resolve_settings

    args = build_parser().parse_args(
        ["--refresh", "30", "serve", "--profile", "work", "-l", "30d", "--timeout", "12.5"]
    )
    env = {"VENICE_API_KEY": "sk-never-on-a-command-line"}
    command = dashboard_command(args, resolve_settings(args, env))
    assert command[1:] == [
        "-m", "venice_tui", "--refresh", "30", "--profile", "work",
        "--lookback", "30d", "--timeout", "12.5",
    ]  # fmt: skip
    assert not any("sk-never" in part for part in command)


def test_the_help_gives_the_periods_real_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "at most 90 days" not in text  # ranges go to 1096 days since long periods came
    assert "1096 days" in text and "1d to 1096d" in text
