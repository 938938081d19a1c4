"""Budgets and alerts as pure functions with a fixed clock: parsing, thresholds, month and day
boundaries, a budget changed mid-month, Venice's key limits, and once-only alerts on disk."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.payloads import encode
from venice_tui.api.account import ApiKeyInfo
from venice_tui.api.decoder import decode_usage
from venice_tui.api.period import Period
from venice_tui.core.alerts import (
    Alert,
    AlertBook,
    alerts_from,
    desktop_sequence,
    parse_alert_settings,
    run_notify_command,
)
from venice_tui.core.amounts import UsdDiem
from venice_tui.core.budgets import Budgets, Finding, Limits, evaluate, parse_budgets
from venice_tui.core.figures import Spike

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def month(
    usd_per_day: float, days: int = 25, today_usd: float | None = None, end: date | None = None
):  # type: ignore[no-untyped-def]
    end = end or NOW.date()
    first = end.replace(day=1)
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        usd = today_usd if today_usd is not None and day == end else usd_per_day
        rows.append({"date": day.isoformat(), "USD": usd, "DIEM": 1})
    payload = {
        "byDate": rows,
        "byModel": [{"modelName": "GLM 5.1", "totalUsd": 120, "totalDiem": 0}],
        "byKey": [{"apiKeyId": "key-prod-000001", "description": "Production", "totalUsd": 90}],
        "byKeyDaily": [{"date": end.isoformat(), "Production": 12}],
        "byKeyDailyUsd": [{"date": end.isoformat(), "Production": 11}],
        "topKeyNames": ["Production"],
    }
    return decode_usage(encode(payload), Period.between(first, end), end)


def test_budgets_are_parsed_per_profile_and_bad_values_are_named() -> None:
    data = {
        "budget": {
            "work": {
                "monthly_usd": 500,
                "daily_usd": "lots",
                "keys": {"key-prod-000001": {"monthly_usd": 100}, "bad": 3},
                "models": {"GLM 5.1": {"daily_usd": 10}},
                "weekly_usd": 1,
            },
            "home": {"monthly_usd": 50},
        },
        "alerts": {"warn_at": 90, "alert_at": 100},
    }
    budgets, problems = parse_budgets(data, "work", "~/.config/venice-tui/config.toml")
    assert budgets.account == Limits(monthly_usd=500.0)
    assert budgets.keys == {"key-prod-000001": Limits(monthly_usd=100.0)}
    assert budgets.models == {"GLM 5.1": Limits(daily_usd=10.0)}
    assert budgets.warn_at == 0.9
    assert len(problems) == 3
    assert all(p.startswith("~/.config/venice-tui/config.toml: budget.work.") for p in problems)
    assert any("daily_usd = 'lots'" in p and "above 0" in p for p in problems)
    assert parse_budgets(data, "home", "f")[0].account.monthly_usd == 50
    assert not parse_budgets(data, "nobody", "f")[0].any
    _, problems = parse_budgets({"alerts": {"warn_at": 100, "alert_at": 90}}, "x", "f")
    assert problems and "must be below" in problems[0]


def test_thresholds_on_the_month_and_today() -> None:
    budgets = Budgets(account=Limits(monthly_usd=300, daily_usd=10))
    # 25 days of $10 = $250: 83% of the month (warning); today $10 of $10 is over
    findings = evaluate(budgets, month(10), (), NOW.date())
    by_id = {f.ident: f for f in findings}
    assert by_id["account:month:2026-11"].level == "warning"
    assert by_id["account:day:2026-11-25"].level == "over"
    assert findings[0].level == "over"  # worst first
    assert "of $10.00 today (100%)" in by_id["account:day:2026-11-25"].message
    assert evaluate(budgets, month(5, today_usd=5), (), NOW.date()) == []  # $125, $5: fine


def test_a_budget_changed_mid_month_is_weighed_against_the_same_month() -> None:
    spent = month(10)  # $250 so far
    assert evaluate(Budgets(account=Limits(monthly_usd=1000)), spent, (), NOW.date()) == []
    lowered = evaluate(Budgets(account=Limits(monthly_usd=240)), spent, (), NOW.date())
    assert [f.level for f in lowered] == ["over"] and lowered[0].ident == "account:month:2026-11"


def test_a_budget_set_anew_is_a_new_line_to_cross_but_the_same_one_is_not(tmp_path: Path) -> None:
    book = AlertBook.load(tmp_path / "alerts.json")
    spent = month(10)  # $250 so far: 83% of $300, 104% of $240
    at_300 = alerts_from(evaluate(Budgets(account=Limits(monthly_usd=300)), spent, ()))
    assert [a.level for a in book.new(at_300, NOW)] == ["warning"]
    assert book.new(at_300, NOW + timedelta(hours=1)) == []
    at_240 = alerts_from(evaluate(Budgets(account=Limits(monthly_usd=240)), spent, ()))
    assert [a.message for a in book.new(at_240, NOW)] == [
        "The account is over budget: $250.00 of $240.00 this month (104%)"
    ]
    assert AlertBook.load(tmp_path / "alerts.json").new(at_300 + at_240, NOW) == []


def test_a_share_is_rounded_down_so_100_percent_means_reached() -> None:
    almost = evaluate(Budgets(account=Limits(monthly_usd=250.5)), month(10), (), NOW.date())
    assert almost[0].level == "warning" and almost[0].message.endswith("this month (99%)")


def test_month_and_day_boundaries_give_new_idents() -> None:
    budgets = Budgets(account=Limits(monthly_usd=5, daily_usd=1))
    december = month(5, days=1, end=date(2026, 12, 1))
    idents = {f.ident for f in evaluate(budgets, december, (), date(2026, 12, 1))}
    assert idents == {"account:month:2026-12", "account:day:2026-12-01"}


def test_key_and_model_budgets_and_venice_limits() -> None:
    budgets = Budgets(
        keys={"key-prod-000001": Limits(monthly_usd=100, daily_usd=10)},
        models={"GLM 5.1": Limits(monthly_usd=100)},
    )
    limited = ApiKeyInfo(
        "key-batch", "Batch", "INFERENCE", "", None, None, None, 50.0, None, "MONTH", 46.0, None
    )
    findings = {f.ident: f for f in evaluate(budgets, month(1), [limited], NOW.date())}
    assert findings["key:key-prod-000001:month:2026-11"].level == "warning"  # $90 of $100
    assert findings["key:key-prod-000001:day:2026-11-25"].level == "over"  # $11 USD of $10
    assert findings["model:GLM 5.1:month:2026-11"].level == "over"  # $120 of $100
    venice = findings["limit:key-batch:MONTH:2026-11"]
    assert venice.level == "warning" and "near its Venice limit" in venice.message


def test_alerts_fire_once_per_threshold_and_period_also_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    warning = Alert("budget:account:month:2026-11:warning", "warning", "near")
    over = Alert("budget:account:month:2026-11:over", "over", "over")
    book = AlertBook.load(path)
    assert book.new([warning], NOW) == [warning]
    assert book.new([warning], NOW) == []
    restarted = AlertBook.load(path)  # a new process
    assert restarted.new([warning], NOW + timedelta(hours=2)) == []
    assert restarted.new([warning, over], NOW) == [over]  # the next threshold is news
    december = Alert("budget:account:month:2026-12:warning", "warning", "near")
    assert AlertBook.load(path).new([december], NOW) == [december]  # a new month
    assert [e.message for e in AlertBook.load(path).log] == ["near", "over", "near"]


def test_spikes_alert_only_when_they_are_news_and_the_diem_running_out() -> None:
    from venice_tui.api.account import Balance

    old = Spike(date(2026, 11, 20), UsdDiem(40.0), 2.0, "GLM", UsdDiem(20.0))
    new = Spike(date(2026, 11, 25), UsdDiem(40.0), 2.0, "GLM", UsdDiem(20.0))
    empty = Balance(True, "USD", 10.0, 0.0, None, None, 12.0)
    alerts = alerts_from([], [old, new], empty, NOW.date())
    assert [a.ident for a in alerts] == ["spike:2026-11-25", "diem:2026-11-25"]
    assert alerts[0].message == "Spike on Wed Nov 25: 40.00 USD+DIEM, 2.0x a usual day, mostly GLM"


def test_the_desktop_sequence_cannot_be_broken_out_of() -> None:
    sequence = desktop_sequence("over \x07\x1b]52;c;x\x07 budget; now", in_tmux=False)
    assert sequence.count("\x07") == 2 and sequence.count("\x1b") == 2
    assert "]9;over \\x07\\x1b]52,c,x\\x07 budget, now\x07" in sequence
    assert "]777;notify;venice-tui;" in sequence
    wrapped = desktop_sequence("hi", in_tmux=True)
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\")


def test_notify_command_runs_without_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "said"
    script = tmp_path / "notify"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(out)!r}, 'w').write(sys.argv[-1])\n"
    )
    script.chmod(0o755)
    settings, problems = parse_alert_settings(
        {"alerts": {"notify_command": [str(script)], "bell": False}}, "f"
    )
    assert problems == [] and not settings.bell and settings.desktop
    run_notify_command(settings.notify_command, "spend; $(rm -rf /) `x`")
    for _ in range(1500):  # the notifier runs on its own; wait until it has written
        if out.exists() and out.read_text():
            break
        time.sleep(0.02)
    assert out.read_text() == "spend; $(rm -rf /) `x`"  # one argument, never a shell
    _, problems = parse_alert_settings({"alerts": {"notify_command": 3}}, "f")
    assert problems


def test_a_key_named_like_an_option_reaches_the_notifier_as_its_message(tmp_path: Path) -> None:
    out = tmp_path / "said.json"
    script = tmp_path / "notify"
    script.write_text(  # a notifier with options, parsed as GNU getopt does (notify-send too)
        f"#!{sys.executable}\nimport getopt, json, os, sys\n"
        "opts, args = getopt.gnu_getopt(sys.argv[1:], 'o:u:', ['output='])\n"
        f"open({str(out)!r}, 'w').write(json.dumps("
        "[opts, args, os.environ.get('VENICE_TUI_ALERT')]))\n"
    )
    script.chmod(0o755)
    finding = Finding("key:k:day:2026-11-25", "over", "-o/tmp/pwned", 12.0, 10.0, "USD", "today")
    assert finding.message.startswith("-o/tmp/pwned is over budget")
    run_notify_command((str(script), "-u", "critical"), finding.message)
    for _ in range(1500):  # the notifier runs on its own; wait until it has written
        if out.exists() and out.read_text():
            break
        time.sleep(0.02)
    opts, args, variable = json.loads(out.read_text())
    expected = "venice-tui: -o/tmp/pwned is over budget: $12.00 of $10.00 today (120%)"
    assert opts == [["-u", "critical"]] and args == [expected] and variable == expected


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_alert_book_is_private(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    AlertBook.load(path).new([Alert("a", "info", "m")], NOW)
    assert (path.stat().st_mode & 0o777) == 0o600
