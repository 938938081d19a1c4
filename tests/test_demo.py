import math
from datetime import UTC, date, datetime

import httpx

from venice_tui.api.client import VeniceClient
from venice_tui.api.period import Period
from venice_tui.api.secret import ApiKey
from venice_tui.demo.generator import DemoAccount
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_BASE_URL, DemoTransport

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
TODAY = NOW.date()


def body(days: int, account: DemoAccount | None = None) -> dict:  # type: ignore[type-arg]
    return (account or DemoAccount()).analytics(Period.lookback(days).days(TODAY), NOW, f"{days}d")


def test_models_keys_and_days_add_up_to_the_same_spend() -> None:
    payload = body(30)
    by_date = math.fsum(r["USD"] + r["DIEM"] for r in payload["byDate"])
    by_model = math.fsum(m["totalUsd"] + m["totalDiem"] for m in payload["byModel"])
    by_key = math.fsum(k["totalUsd"] + k["totalDiem"] for k in payload["byKey"])
    assert math.isclose(by_date, by_model, rel_tol=1e-4)
    assert math.isclose(by_date, by_key, rel_tol=1e-4)


def test_believable_account() -> None:
    payload = body(30)
    types = {m["modelType"] for m in payload["byModel"]}
    assert types == {"LLM", "IMAGE", "TTS", "ASR", "VIDEO"}
    assert len(payload["byModel"]) >= 12
    assert {m["unitType"] for m in payload["byModel"]} >= {
        "tokens",
        "images",
        "chars",
        "minutes",
        "seconds",
    }
    assert any(k["apiKeyId"] is None and k["description"] == "Web App" for k in payload["byKey"])
    assert any("breakdown" in m for m in payload["byModel"])
    assert all("breakdown" not in m for m in payload["byModel"] if m["modelType"] != "LLM")
    spends = [m["totalUsd"] + m["totalDiem"] for m in payload["byModel"]]
    assert spends == sorted(spends, reverse=True)
    daily = [r["USD"] + r["DIEM"] for r in payload["byDate"][:-1]]
    assert max(daily) > 1.4 * sorted(daily)[len(daily) // 2]  # a spike stands out


def test_weekends_are_quieter() -> None:
    payload = body(28)
    rows = payload["byDate"][:-1]
    weekend = [r["USD"] + r["DIEM"] for r in rows if date.fromisoformat(r["date"]).weekday() >= 5]
    weekday = [r["USD"] + r["DIEM"] for r in rows if date.fromisoformat(r["date"]).weekday() < 5]
    assert sum(weekend) / len(weekend) < 0.8 * sum(weekday) / len(weekday)


def test_same_seed_same_story_and_periods_agree_on_shared_days() -> None:
    a, b = body(7), body(30)
    assert a["byDate"] == b["byDate"][-7:]
    assert DemoAccount(seed=1).analytics([TODAY], NOW, "1d") != DemoAccount(seed=2).analytics(
        [TODAY], NOW, "1d"
    )


def test_live_shape_series_dates_are_ms_and_usd_arrays_present() -> None:
    payload = body(7)
    assert isinstance(payload["byModelDaily"][0]["date"], int)
    assert payload["byModelDaily"][0]["date"] > 10**12
    assert set(payload["byModelDailyUsd"][0]) == set(payload["byModelDaily"][0])


def test_big_account_has_top_50_plus_other() -> None:
    payload = body(90, DemoAccount.big())
    # 1,000 keys, two of them never used (the spare and the admin key): 998 with usage
    assert len(payload["byModel"]) == 300 and len(payload["byKey"]) == 998
    assert payload["topModels"][-1] == "Other" and len(payload["topModels"]) == 51


def test_responder_mirrors_live_validation() -> None:
    responder = DemoResponder(now=lambda: NOW)
    auth = {"authorization": "Bearer sk-admin"}
    path = "/api/v1/billing/usage-analytics"
    assert responder.handle("GET", path, {}, {}).status == 402
    assert responder.handle("GET", path, {}, {"authorization": "Bearer inference-1"}).status == 401
    assert responder.handle("GET", path, {"lookback": "0d"}, auth).status == 400
    clamped = responder.handle("GET", path, {"lookback": "365d"}, auth)
    assert clamped.status == 200 and b'"lookback":"90d"' in clamped.body
    one_date = responder.handle("GET", path, {"startDate": "2026-11-01"}, auth)
    assert b'"lookback":"7d"' in one_date.body  # like the live service: ignored, lookback applies
    assert (
        responder.handle(
            "GET", path, {"startDate": "2026-11-05", "endDate": "2026-11-01"}, auth
        ).status
        == 400
    )
    assert responder.handle("GET", "/api/v1/nope", {}, auth).status == 404


async def test_in_process_demo_goes_through_the_real_client() -> None:
    transport = DemoTransport(DemoResponder(now=lambda: NOW))
    async with VeniceClient(
        ApiKey("demo-admin-key"), DEMO_BASE_URL, transport=transport, today=lambda: TODAY
    ) as client:
        data = await client.fetch(Period.lookback(30))
    assert len(data.daily) == 30 and data.totals.usd > 0
    assert data.model_series.has_usd_split


async def test_in_process_demo_faults_surface_as_typed_errors() -> None:
    import pytest

    from venice_tui.api.errors import GatewayTimeoutError

    responder = DemoResponder(now=lambda: NOW)
    responder.set_fault("504")
    async with VeniceClient(
        ApiKey("demo-admin-key"), DEMO_BASE_URL, transport=DemoTransport(responder)
    ) as client:
        with pytest.raises(GatewayTimeoutError):
            await client.fetch(Period.lookback(30))
    assert isinstance(httpx, object)
