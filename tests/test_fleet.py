"""`core.fleet`: one account's row from its own figures, worst first, and which profiles."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from venice_tui.api.models import DailyTotal
from venice_tui.core.account_state import AccountState, Slice
from venice_tui.core.amounts import Diem, Usd, UsdDiem
from venice_tui.core.budgets import Budgets, Finding, Limits
from venice_tui.core.figures import Figures, Spike
from venice_tui.core.fleet import (
    Severity,
    UnknownProfileError,
    glance_of,
    pick_profiles,
    worst_first,
)

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def figures(month_usd: float | None = 10.0, spikes: tuple[Spike, ...] = ()) -> Figures:
    if month_usd is None:
        return Figures(TODAY)
    return Figures(
        TODAY,
        today_so_far=DailyTotal(TODAY, 1.0, 2.0),
        month_usd=Usd(month_usd),
        month_diem=Diem(40.0),
        spikes=spikes,
    )


def finding(ident: str, level: str, share: float = 1.0) -> Finding:
    return Finding(ident, level, "Subject", share * 100, 100.0, "USD", "this month")  # type: ignore[arg-type]


def glance(profile: str, fig: Figures, found: tuple[Finding, ...] = (), failure: str | None = None):  # type: ignore[no-untyped-def]
    state = AccountState(month=Slice(None, NOW - timedelta(minutes=5)))
    return glance_of(profile, "••••abcd", state, fig, Budgets(), found, failure)


def test_worst_first_puts_failures_then_budgets_then_limits_spikes_warnings_and_quiet_last() -> (
    None
):
    spike = Spike(TODAY - timedelta(days=1), UsdDiem(30.0), 3.2, "GLM 5.1", UsdDiem(20.0))
    rows = [
        glance("quiet", figures()),
        glance("nothing", figures(None)),
        glance("warned", figures(), (finding("account:month:2026-11", "warning", 0.85),)),
        glance("spiked", figures(spikes=(spike,))),
        glance("limited", figures(), (finding("limit:k1:LIFETIME:ever", "over"),)),
        glance("over", figures(), (finding("account:month:2026-11", "over", 1.2),)),
        glance("down", figures(), failure="Venice did not answer in time"),
    ]
    ordered = worst_first(rows)
    assert [g.profile for g in ordered] == [
        "down",
        "over",
        "limited",
        "spiked",
        "warned",
        "nothing",
        "quiet",
    ]
    # A forecast past a line (between a warning and no data) is the demo's demo-work, below.
    assert [g.severity for g in ordered] == sorted(set(Severity) - {Severity.FORECAST})
    assert ordered[0].alert == "Venice did not answer in time"
    assert ordered[3].alert.startswith("Spike on")
    assert ordered[-1].alert == ""


def test_within_one_kind_the_one_furthest_past_its_line_comes_first() -> None:
    a = glance("a", figures(), (finding("account:month:2026-11", "over", 1.1),))
    b = glance("b", figures(), (finding("account:month:2026-11", "over", 1.9),))
    assert [g.profile for g in worst_first([a, b])] == ["b", "a"]


def test_a_glance_keeps_usd_and_diem_apart_and_says_how_old_it_is() -> None:
    budgets = Budgets(Limits(monthly_usd=20.0))
    state = AccountState(month=Slice(None, NOW - timedelta(minutes=5)))
    row = glance_of("work", "••••abcd", state, figures(12.0), budgets, ())
    assert (row.today_usd, row.today_diem) == (Usd(1.0), Diem(2.0))
    assert (row.month_usd, row.month_diem) == (Usd(12.0), Diem(40.0))
    assert row.budget_share == pytest.approx(0.6)
    assert row.freshness(NOW) == "updated 5 min ago"
    failed = replace(row, failure="HTTP 401: the key was refused")
    assert failed.freshness(NOW) == "HTTP 401: the key was refused (data from 5 min ago)"


def test_profiles_picks_named_ones_in_order_and_refuses_unknown_names() -> None:
    known = ["client", "default", "work"]
    assert pick_profiles(known, None) == known
    assert pick_profiles(known, "work, client,work") == ["work", "client"]
    with pytest.raises(UnknownProfileError) as refused:
        pick_profiles(known, "work,nope")
    assert str(refused.value) == (
        "unknown profile nope; known: client, default, work "
        "(add one with `venice-tui auth login --profile NAME`)"
    )
    with pytest.raises(UnknownProfileError):
        pick_profiles(known, " , ")


def test_the_demo_fleet_is_three_distinct_accounts_served_by_key() -> None:
    from venice_tui.api.period import utc_now
    from venice_tui.commands.fleet import read_account
    from venice_tui.demo.connection import demo_fleet

    now = utc_now()
    readings = {a.profile: read_account(a, now)[0] for a in demo_fleet()}
    glances = {name: r.glance for name, r in readings.items()}
    # demo-work is on course past its budget: forecast past it early in a month, near it (a
    # warning) once spent, late in the month.
    assert glances["demo-work"].severity in (Severity.FORECAST, Severity.WARNING)
    assert glances["demo-client"].severity is Severity.KEY_AT_LIMIT
    assert glances["demo-staging"].severity is Severity.QUIET
    assert glances["demo-work"].alert.startswith("This month is forecast near budget")
    assert len({g.key for g in glances.values()}) == 3
    assert len({g.balance_usd for g in glances.values()}) == 3
    assert len({g.month_usd for g in glances.values()}) == 3
    assert [g.profile for g in worst_first(glances.values())] == [
        "demo-client",
        "demo-work",
        "demo-staging",
    ]


def test_metrics_over_profiles_keeps_the_others_values_when_one_fails() -> None:
    from prometheus_client import generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    from venice_tui.api.period import Period
    from venice_tui.commands.fleet_metrics import FleetSource, fleet_registry
    from venice_tui.commands.metrics_source import MetricsSource
    from venice_tui.demo.connection import demo_fleet
    from venice_tui.demo.responder import DemoResponder

    down = DemoResponder()
    down.set_fault("503")
    work, _, staging = demo_fleet()
    failing = replace(demo_fleet(down)[1])
    sources = [
        (a.profile, MetricsSource(a, Period.lookback(7), a.budgets()[0]))
        for a in (work, failing, staging)
    ]
    fleet = FleetSource.of(sources)
    fleet.fetch_now()
    text = generate_latest(fleet_registry(fleet, first_wait=0)).decode()
    got = [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]
    up = {labels["profile"]: value for name, labels, value in got if name == "venice_up"}
    assert up == {"demo-work": 1.0, "demo-client": 0.0, "demo-staging": 1.0}
    balance = {labels["profile"] for name, labels, _ in got if name == "venice_balance_usd"}
    assert balance == {"demo-work", "demo-staging"}


def test_a_month_that_failed_after_its_last_good_value_is_the_rows_failure() -> None:
    from venice_tui.core.fleet import state_failure

    then = NOW - timedelta(minutes=10)
    good = AccountState(month=Slice(None, then))
    assert state_failure(good) is None
    failed = AccountState(month=Slice(None, then, error="HTTP 429: slow down", error_at=NOW))
    assert state_failure(failed) == "HTTP 429: slow down"
    recovered = AccountState(month=Slice(None, NOW, error="HTTP 429", error_at=then))
    assert state_failure(recovered) is None


def test_a_profiles_server_comes_from_config_unless_one_is_chosen_for_all(
    tmp_path: pytest.TempPathFactory,
) -> None:
    import argparse
    from pathlib import Path

    from venice_tui.core.config import load_config
    from venice_tui.core.settings import Settings, chosen_base_url, profile_settings

    path = Path(str(tmp_path)) / "config.toml"
    path.write_text(
        '[profile.staging]\nbase_url = "http://127.0.0.1:9/api/v1"\n[profile.bad]\nbase_url = 3\n'
    )
    config = load_config(path)
    assert config.base_urls == {"staging": "http://127.0.0.1:9/api/v1"}
    assert any("profile.bad must be a table like" in p for p in config.problems)
    base = Settings(base_url="https://api.venice.ai/api/v1", profile="default")
    none = argparse.Namespace(base_url=None)
    assert chosen_base_url(none, {}) is None
    staging = profile_settings(base, "staging", None, config.base_urls)
    assert staging.base_url == "http://127.0.0.1:9/api/v1" and staging.profile == "staging"
    work = profile_settings(base, "work", None, config.base_urls)
    assert work.base_url == "https://api.venice.ai/api/v1"
    chosen = chosen_base_url(none, {"VENICE_BASE_URL": "http://127.0.0.1:8/api/v1"})
    assert profile_settings(base, "staging", chosen, config.base_urls).base_url == chosen


def test_the_dashboard_reads_each_profile_from_its_own_server() -> None:
    """A profile on the Accounts screen, or switched to with Enter, is asked of its own server
    (`[profile.<name>] base_url`), never of the server of the profile on screen: its key must not
    go to a host not configured for it. A server chosen for all (`--base-url`) serves all."""
    from venice_tui.api.endpoint import DEFAULT_BASE_URL
    from venice_tui.core.config import config_path
    from venice_tui.core.connection import Connection
    from venice_tui.core.settings import Settings

    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text('[profile.staging]\nbase_url = "http://127.0.0.1:9/api/v1"\n')
    work = Settings(base_url="http://127.0.0.1:8/api/v1", profile="work")
    staging = Connection(work).for_profile("staging")
    assert staging.settings.base_url == "http://127.0.0.1:9/api/v1"
    assert Connection(work).for_profile("other").settings.base_url == DEFAULT_BASE_URL
    chosen = replace(work, chosen_base_url="http://127.0.0.1:7/api/v1")
    assert (
        Connection(chosen).for_profile("staging").settings.base_url == "http://127.0.0.1:7/api/v1"
    )
