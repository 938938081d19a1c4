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
