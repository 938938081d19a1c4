"""`venice-tui metrics` in process: the exposition parsed back with prometheus-client's own
parser, label escaping of hostile names, the upstream rate limit under a scrape storm, and the
values served while Venice fails. The clock of the rate limit is a fake; nothing waits on time."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from venice_tui.api.period import Period, utc_today
from venice_tui.commands.metrics import registry_for
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.core.account_state import month_to_date
from venice_tui.core.budgets import Budgets, Limits
from venice_tui.demo.connection import DemoConnection
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.reply import Reply
from venice_tui.demo.responder import DemoResponder

USAGE = "/api/v1/billing/usage-analytics"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scrape(source: MetricsSource) -> str:
    """One scrape, which may start a fetch in the background, then what the next one serves
    once that fetch ended (a scrape never waits for a fetch, except for the very first)."""
    registry = registry_for(source, first_wait=30)
    generate_latest(registry)
    assert source.settle(30), "the fetch did not end"
    return generate_latest(registry).decode()


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(body: str, name: str, **labels: str) -> float:
    return samples(body)[(name, tuple(sorted(labels.items())))]


@pytest.fixture
def demo() -> Iterator[DemoConnection]:
    yield DemoConnection.standard()


def test_the_exposition_parses_back_with_the_numbers_of_the_account(
    demo: DemoConnection,
) -> None:
    budgets = Budgets(account=Limits(monthly_usd=300.0, daily_usd=10.0))
    source = MetricsSource(demo, Period.lookback(7), budgets, monotonic=FakeClock())
    body = scrape(source)
    with demo.sync_client() as client:
        week = client.fetch(Period.lookback(7))
        month = client.fetch(month_to_date(utc_today()))
    today = week.daily[-1]
    assert today.day == utc_today()
    assert value(body, "venice_up") == 1 and value(body, "venice_last_fetch_failed") == 0
    assert value(body, "venice_spend_usd", window="today") == pytest.approx(today.usd)
    assert value(body, "venice_spend_diem", window="today") == pytest.approx(today.diem)
    assert value(body, "venice_spend_usd", window="period") == pytest.approx(week.totals.usd)
    assert value(body, "venice_spend_diem", window="period") == pytest.approx(week.totals.diem)
    assert value(body, "venice_spend_usd", window="month") == pytest.approx(month.totals.usd)
    assert value(body, "venice_balance_usd") == 412.5
    assert value(body, "venice_bundled_credits_usd") == 25.0
    assert value(body, "venice_diem_allocation") == 12.0
    assert value(body, "venice_budget_usd", window="month") == 300.0
    assert value(body, "venice_budget_usd", window="day") == 10.0
    assert value(body, "venice_data_age_seconds") == 0.0
    limits = {
        labels: number
        for (name, labels), number in samples(body).items()
        if name == "venice_key_limit_used_ratio"
    }
    at_limit = [dict(labels) for labels, ratio in limits.items() if ratio >= 1]
    assert [(k["key"], k["key_id"][-6:]) for k in at_limit] == [("Staging (...1a3b57)", "1a3b57")]
    keys_today = {
        dict(labels)["key"]: dict(labels)["key_id"]
        for (name, labels), number in samples(body).items()
        if name == "venice_key_spend_today"
    }
    assert keys_today["Staging (...1a3b57)"].endswith("1a3b57")  # one name in both families
    models_today = {
        dict(labels)["model"]: number
        for (name, labels), number in samples(body).items()
        if name == "venice_model_spend_today"
    }
    assert sum(models_today.values()) == pytest.approx(today.spend, abs=1e-3)


def test_one_fetch_makes_one_usage_request_when_the_period_and_the_month_fit_in_one(
    demo: DemoConnection,
) -> None:
    scrape(MetricsSource(demo, Period.lookback(30), monotonic=FakeClock()))
    assert demo.responder.by_path == {
        USAGE: 1,
        "/api/v1/billing/balance": 1,
        "/api/v1/api_keys": 1,
        "/api/v1/api_keys/rate_limits": 1,
    }


def test_a_scrape_storm_asks_venice_once_per_min_interval(demo: DemoConnection) -> None:
    clock = FakeClock()
    source = MetricsSource(demo, Period.lookback(7), min_interval=300, monotonic=clock)
    for _ in range(100):  # 100 scrapes in 10 seconds
        scrape(source)
        clock.now += 0.1
    assert source.fetches == 1
    assert max(demo.responder.by_path.values()) == 1
    clock.now += 300 - 10
    body = scrape(source)
    assert source.fetches == 2 and demo.responder.by_path[USAGE] == 2
    assert value(body, "venice_upstream_fetches_total") == 2


def test_while_venice_fails_the_last_good_values_are_served_with_their_age(
    demo: DemoConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    source = MetricsSource(demo, Period.lookback(7), min_interval=60, monotonic=clock)
    good = scrape(source)
    demo.responder.set_fault("500")
    clock.now += 60
    monkeypatch.setenv("VENICE_TUI_NOW", "2026-11-25T15:35:00+00:00")
    failed = scrape(source)
    assert source.last_error is not None and "500" in source.last_error
    assert value(failed, "venice_up") == 0 and value(failed, "venice_last_fetch_failed") == 1
    assert value(failed, "venice_data_age_seconds") == 300
    for window in ("today", "period", "month"):
        assert value(failed, "venice_spend_usd", window=window) == value(
            good, "venice_spend_usd", window=window
        )
    demo.responder.set_fault(None)
    clock.now += 60
    again = scrape(source)
    assert value(again, "venice_up") == 1 and value(again, "venice_data_age_seconds") == 0


def test_before_any_good_fetch_a_scrape_says_down_and_serves_no_numbers(
    demo: DemoConnection,
) -> None:
    demo.responder.set_fault("401")
    body = scrape(MetricsSource(demo, Period.lookback(7), monotonic=FakeClock()))
    names = {family.name for family in text_string_to_metric_families(body)}
    assert names == {"venice_up", "venice_last_fetch_failed", "venice_upstream_fetches"}
    assert value(body, "venice_up") == 0


def test_hostile_names_are_escaped_label_values_that_parse_back_as_shown() -> None:
    demo = DemoConnection(DemoResponder(DemoAccount.hostile()))
    body = scrape(MetricsSource(demo, Period.lookback(7), monotonic=FakeClock()))
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", body), "a control character"
    names = {
        text
        for (_, labels), _ in samples(body).items()
        for label, text in labels
        if label in ("model", "key")
    }
    # What the parser gives back is the name as the dashboard shows it: controls made visible.
    assert 'team "A", west\\east' in names
    assert "two\\x0alines\\x00nul" in names
    assert "\\x1b]52;c;cHduZWQ=\\x07clipboard" in names
    assert '="team \\"A\\", west\\\\east"' in body
    assert {
        "llama-3 [/beta",
        "[red]evil[/red] [@click=app.quit]x[/]",
        "bidi \\u202egnp.exe",
    } <= names


def test_an_unexpected_error_in_the_fetch_is_a_status_not_a_thread_traceback(
    demo: DemoConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("venice_tui.commands.metrics_source.fetch_account", broken)
    source = MetricsSource(demo, Period.lookback(7), monotonic=FakeClock())
    body = scrape(source)
    assert source.last_error == "unexpected error (RuntimeError)"
    assert value(body, "venice_up") == 0


def test_an_endpoint_failing_alone_keeps_its_last_good_values_with_their_age(
    demo: DemoConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    source = MetricsSource(demo, Period.lookback(7), min_interval=60, monotonic=clock)
    scrape(source)
    demo.responder.set_fault("500", path="/billing/balance")
    clock.now += 60
    monkeypatch.setenv("VENICE_TUI_NOW", "2026-11-25T15:35:00+00:00")
    body = scrape(source)
    assert value(body, "venice_up") == 1
    assert value(body, "venice_balance_usd") == 412.5  # the last good balance, still served
    assert value(body, "venice_source_up", source="balance") == 0
    assert value(body, "venice_source_age_seconds", source="balance") == 300
    assert value(body, "venice_source_up", source="usage") == 1
    assert value(body, "venice_source_age_seconds", source="usage") == 0
    assert value(body, "venice_source_up", source="api_keys") == 1


class Tampered(DemoResponder):
    """The demo account with one endpoint's JSON body changed the way a server could."""

    def __init__(self, path: str, change: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.path, self.change = path, change

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> Reply:
        reply = super().handle(method, path, query, headers)
        if path.rstrip("/") != "/api/v1" + self.path or reply.status != 200:
            return reply
        body = json.loads(reply.body)
        self.change(body)
        return Reply(200, json.dumps(body).encode(), reply.headers)


def renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every string (and dict key) in `names` replaced, all through."""
    if isinstance(value, dict):
        return {names.get(k, k): renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [renamed(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def rename_in(body: dict[str, Any], names: dict[str, str]) -> None:
    body.update(renamed(body, names))


def series_of(body: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every series of the exposition, in order, duplicates kept (Prometheus refuses them)."""
    return [
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    ]


def test_names_equal_once_made_visible_or_cut_are_one_series_each() -> None:
    long = "m" * 200
    names = {
        "GLM 5.1": "bell\x07model",
        "Qwen 3 Coder 480B": "bell\\x07model",  # what the first becomes once made visible
        "Kimi K2.6": long + "-one",
        "DeepSeek V3.2": long + "-two",  # equal to the one before once cut at 200
        "Production API": "twin\x1bkey",
        "Batch pipeline": "twin\\x1bkey",
    }
    demo = DemoConnection(Tampered("/billing/usage-analytics", lambda b: rename_in(b, names)))
    body = scrape(MetricsSource(demo, Period.lookback(7), monotonic=FakeClock()))
    series = series_of(body)
    assert len(series) == len(set(series)), [s for s in series if series.count(s) > 1]
    with demo.sync_client() as client:
        week = client.fetch(Period.lookback(7))
    models = {
        dict(labels)["model"]: number
        for (name, labels), number in samples(body).items()
        if name == "venice_model_spend_today"
    }
    assert sum(models.values()) == pytest.approx(week.daily[-1].spend, abs=1e-3)
    assert {"bell\\x07model", long} <= set(models)
    keys = [dict(labels) for name, labels in samples(body) if name == "venice_key_spend_today"]
    assert {k["key"] for k in keys} >= {"twin\\x1bkey", "Web App"}
    by_name = {k["key"]: k["key_id"] for k in keys}
    assert by_name["twin\\x1bkey"] == "" and by_name["Web App"] == ""  # no one key id
    assert by_name["Alice — laptop"] == next(
        k.key_id for k in week.keys if k.description == "Alice — laptop"
    )


def test_two_keys_alike_in_id_name_and_period_are_one_series_the_nearer_its_limit() -> None:
    def twins(body: dict[str, Any]) -> None:
        first, second = [k for k in body["data"] if "currentPeriodUsage" in k][:2]
        base = first["id"]
        first["id"], second["id"] = base + "\\x00", base + "\x00"  # alike once made visible
        second.update(description=first["description"], limitPeriod=first["limitPeriod"])
        second["consumptionLimits"] = {"usd": 1.0, "diem": None}
        second["currentPeriodUsage"] = {"usd": "0.99", "diem": "0"}
        first["consumptionLimits"] = {"usd": 1.0, "diem": None}
        first["currentPeriodUsage"] = {"usd": "0.10", "diem": "0"}

    demo = DemoConnection(Tampered("/api_keys", twins))
    body = scrape(MetricsSource(demo, Period.lookback(7), monotonic=FakeClock()))
    series = series_of(body)
    assert len(series) == len(set(series)), [s for s in series if series.count(s) > 1]
    twin = [
        number
        for (name, labels), number in samples(body).items()
        if name == "venice_key_limit_used_ratio" and dict(labels)["key_id"].endswith("\\x00")
    ]
    assert twin == [pytest.approx(0.99)]


def test_a_negative_balance_is_left_out_with_the_reason_said_once() -> None:
    def negative(body: dict[str, Any]) -> None:
        body["balances"]["usd"] = -1000

    said: list[str] = []
    demo = DemoConnection(Tampered("/billing/balance", negative))
    source = MetricsSource(demo, Period.lookback(7), monotonic=FakeClock(), on_surprise=said.append)
    body = scrape(source)
    assert "venice_balance_usd" not in body and "venice_diem_left" not in body
    assert value(body, "venice_source_up", source="balance") == 0
    assert value(body, "venice_source_up", source="usage") == 1
    assert value(body, "venice_up") == 1
    assert said == [
        "Venice sent a negative USD balance (-1,000.00): the balance series are left out, "
        'venice_source_up{source="balance"} is 0 until it sends plausible values'
    ]


def test_a_negative_spend_is_not_exported() -> None:
    def negative(body: dict[str, Any]) -> None:
        body["byDate"][-1]["USD"] = -1000

    said: list[str] = []
    demo = DemoConnection(Tampered("/billing/usage-analytics", negative))
    source = MetricsSource(demo, Period.lookback(7), monotonic=FakeClock(), on_surprise=said.append)
    body = scrape(source)
    assert "-1000" not in body and "-1e+03" not in body
    assert "venice_spend_usd" not in body and "venice_model_spend_today" not in body
    assert value(body, "venice_source_up", source="usage") == 0
    assert value(body, "venice_balance_usd") == 412.5
    assert len(said) == 1 and said[0].startswith(
        f"Venice sent a negative USD spent on {utc_today()}"
    )
