import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.payloads import encode, live_variant
from tests.slice_functions import SliceFunctions
from venice_tui.api.decoder import decode_usage
from venice_tui.api.errors import GatewayTimeoutError, RateLimitedError, ServerError
from venice_tui.api.models import UsageAnalytics
from venice_tui.api.period import Period
from venice_tui.core.store import Source, UsageStore

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def analytics(period: Period) -> UsageAnalytics:
    return decode_usage(encode(live_variant()), period, date(2026, 11, 25))


class FakeFetch:
    def __init__(self) -> None:
        self.outcomes: list[object] = []
        self.calls: list[Period] = []

    async def __call__(self, period: Period) -> UsageAnalytics:
        self.calls.append(period)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome
        return analytics(period)


async def until(condition) -> None:  # type: ignore[no-untyped-def]
    """Let other tasks run until `condition()` holds (a bounded number of turns, no clock)."""
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


def make_store(clock: list[datetime] | None = None) -> tuple[UsageStore, FakeFetch]:
    fetch = FakeFetch()
    times = clock or [NOW]
    return UsageStore(fetch, Period.lookback(3), Source.LIVE, clock=lambda: times[0]), fetch


async def test_success_sets_snapshot_and_clears_status() -> None:
    store, _ = make_store()
    seen: list[bool] = []
    store.subscribe(lambda: seen.append(store.status.loading))
    assert await store.refresh()
    assert store.snapshot is not None and store.snapshot.version == 1
    assert store.snapshot.source is Source.LIVE
    assert seen == [True, False]
    assert store.status.error is None


async def test_failure_keeps_the_last_good_data_and_says_why() -> None:
    store, fetch = make_store()
    await store.refresh()
    good = store.snapshot
    fetch.outcomes = [GatewayTimeoutError(Period.lookback(3))]
    assert not await store.refresh()
    assert store.snapshot is good
    assert store.status.error is not None
    assert "press d for a shorter period, e.g. 1d" in store.status.error
    assert store.status.error_kind == "HTTP 504"
    assert store.status.error_at == NOW
    fetch.outcomes = []
    assert await store.refresh()
    assert store.status.error is None and store.status.consecutive_failures == 0


async def test_backoff_doubles_and_caps_at_ten_minutes() -> None:
    store, fetch = make_store()
    assert store.next_refresh_delay(60) == 60
    delays = []
    for _ in range(6):
        fetch.outcomes = [ServerError(500, "")]
        await store.refresh()
        delays.append(store.next_refresh_delay(60))
    assert delays == [120, 240, 480, 600, 600, 600]
    await store.refresh()
    assert store.next_refresh_delay(60) == 60


async def test_429_wait_is_respected_within_the_clients_bounds() -> None:
    store, fetch = make_store()
    fetch.outcomes = [RateLimitedError(45)]
    await store.refresh()
    assert store.next_refresh_delay(10) == 45
    # Retry-After: 99999999 must not stop the refresh: clamped as the client clamps it.
    fetch.outcomes = [RateLimitedError(99_999_999)]
    await store.refresh()
    assert store.next_refresh_delay(10) == 60
    assert store.status.error is not None and "over an hour" in store.status.error


async def test_the_month_so_far_comes_beside_the_period_and_survives_a_failure() -> None:
    from venice_tui.core.account_state import month_to_date

    usage = FakeFetch()
    months: list[object] = []

    async def month() -> UsageAnalytics:
        outcome = months.pop(0) if months else None
        if isinstance(outcome, Exception):
            raise outcome
        return analytics(month_to_date(NOW.date()))

    store = UsageStore(
        SliceFunctions(usage, fetch_month=month), Period.lookback(7), clock=lambda: NOW
    )
    assert await store.refresh()
    days = store.account.month_days(NOW.date())
    assert days is not None and [d.day.day for d in days] == list(range(1, 26))
    months.append(ServerError(500, ""))
    assert await store.refresh()  # the period came; the month failed alone and kept its days
    assert store.account.month.error is not None
    assert store.account.month_days(NOW.date()) == days
    assert store.account.month_days(date(2026, 12, 1)) is None  # not this month's any more


async def test_when_venice_is_down_the_other_slices_are_not_asked() -> None:
    _, fetchers = account_fetchers()
    asked: list[str] = []

    async def down(period: Period) -> UsageAnalytics:
        raise ServerError(502, "")

    async def balance():  # type: ignore[no-untyped-def]
        asked.append("balance")
        raise AssertionError("not asked while the usage fails with a server error")

    store = UsageStore(
        replace(fetchers, fetch_usage=down, fetch_balance=balance),
        Period.lookback(3),
        clock=lambda: NOW,
    )
    assert not await store.refresh()
    assert asked == [] and store.status.error is not None


async def test_a_result_for_an_old_period_is_dropped() -> None:
    store, _ = make_store()

    async def slow(period: Period) -> UsageAnalytics:
        store.set_period(Period.lookback(7))
        return analytics(period)

    store.attach(slow, Source.LIVE)  # the person picks another period while it is out
    assert not await store.refresh()
    assert store.snapshot is None and store.period == Period.lookback(7)
    assert not store.status.loading


async def test_one_request_at_a_time_and_a_new_period_does_not_wait() -> None:
    store, _ = make_store()
    gate = asyncio.Event()
    calls: list[Period] = []

    async def held(period: Period) -> UsageAnalytics:
        calls.append(period)
        await gate.wait()
        return analytics(period)

    store.attach(held, Source.LIVE)
    first = asyncio.create_task(store.refresh())
    await until(lambda: calls)
    assert store.status.loading
    assert not await store.refresh()  # the same period: one request at a time
    store.set_period(Period.lookback(7))  # a new period is fetched at once, not next cycle
    second = asyncio.create_task(store.refresh())
    await until(lambda: len(calls) == 2)
    assert calls == [Period.lookback(3), Period.lookback(7)]
    gate.set()
    assert not await first  # the old period's answer is dropped
    assert await second
    assert store.snapshot is not None and store.snapshot.period == Period.lookback(7)
    assert not store.status.loading


async def test_staleness_after_two_intervals() -> None:
    clock = [NOW]
    store, _ = make_store(clock)
    await store.refresh()
    assert not store.is_stale(60)
    clock[0] = NOW + timedelta(seconds=121)
    assert store.is_stale(60)
    assert not store.is_stale(0)


@pytest.mark.parametrize("error", [KeyboardInterrupt()])
async def test_unexpected_exceptions_leave_no_loading_flag(error: BaseException) -> None:
    store, _ = make_store()

    async def boom(period: Period) -> UsageAnalytics:
        raise error

    store.attach(boom, Source.LIVE)
    with pytest.raises(KeyboardInterrupt):
        await store.refresh()
    assert not store.status.loading


async def test_identical_numbers_only_refresh_the_age() -> None:
    clock = [NOW]
    store, _ = make_store(clock)
    await store.refresh()
    first = store.snapshot
    clock[0] = NOW + timedelta(seconds=60)
    await store.refresh()
    assert store.snapshot is not None and first is not None
    assert store.snapshot.version == first.version  # screens keep what they drew
    assert store.snapshot.fetched_at == clock[0] and store.age_seconds() == 0


def account_fetchers(**failures: Exception):  # type: ignore[no-untyped-def]
    """Functions for every slice from the demo's bodies; a named slice raises instead."""
    from venice_tui.api.account import decode_api_keys, decode_balance, decode_rate_limits
    from venice_tui.demo.account_bodies import api_keys_body, balance_body, rate_limits_body
    from venice_tui.demo.generator import DemoAccount

    account = DemoAccount()

    def maker(name, build):  # type: ignore[no-untyped-def]
        async def fetch():  # type: ignore[no-untyped-def]
            if name in failures:
                raise failures[name]
            return build()

        return fetch

    usage = FakeFetch()
    return usage, SliceFunctions(
        fetch_usage=usage,
        fetch_balance=maker("balance", lambda: decode_balance(encode(balance_body(account, NOW)))),
        fetch_keys=maker("keys", lambda: decode_api_keys(encode(api_keys_body(account, NOW)))),
        fetch_limits=maker(
            "limits", lambda: decode_rate_limits(encode(rate_limits_body(account, NOW, True)))
        ),
    )


@pytest.mark.parametrize("failing", ["balance", "keys", "limits"])
async def test_each_slice_fails_alone_and_keeps_its_last_value(failing: str) -> None:
    _, fetchers = account_fetchers()
    store = UsageStore(fetchers, Period.lookback(3), Source.LIVE, clock=lambda: NOW)
    assert await store.refresh()
    good = store.account
    assert good.balance.value is not None and good.keys.value and good.limits.value is not None
    _, broken = account_fetchers(**{failing: ServerError(500, "down")})
    store.attach(broken, Source.LIVE)
    assert await store.refresh()  # usage is still live
    state = store.account
    slices = {"balance": state.balance, "keys": state.keys, "limits": state.limits}
    for name, slice_ in slices.items():
        if name == failing:
            assert slice_.error is not None and "server error (500)" in slice_.error
            assert slice_.value is not None and slice_.error_at == NOW  # the last value stays
        else:
            assert slice_.error is None and slice_.value is not None
    assert store.status.error is None


async def test_an_inference_key_gets_its_own_balance_and_one_clear_line() -> None:
    from venice_tui.api.errors import AuthError

    refused = AuthError("Admin API key required")
    _, fetchers = account_fetchers(balance=refused, keys=refused)

    async def usage(period: Period) -> UsageAnalytics:
        raise refused

    fetchers = replace(fetchers, fetch_usage=usage)
    store = UsageStore(fetchers, Period.lookback(3), Source.LIVE, clock=lambda: NOW)
    assert not await store.refresh()
    assert store.account.inference_key and store.account.limits.value is not None
    assert (
        store.account.balance.admin_needed and store.account.balance.error == "needs an ADMIN key"
    )
    assert store.status.error is not None and "INFERENCE key" in store.status.error
    assert not store.status.key_refused  # no login screen forced on a working key


async def test_an_invalid_key_is_refused_everywhere() -> None:
    from venice_tui.api.errors import AuthError

    refused = AuthError("Admin API key required")
    _, fetchers = account_fetchers(balance=refused, keys=refused, limits=refused)

    async def usage(period: Period) -> UsageAnalytics:
        raise refused

    store = UsageStore(
        replace(fetchers, fetch_usage=usage), Period.lookback(3), Source.LIVE, clock=lambda: NOW
    )
    assert not await store.refresh()
    assert store.status.key_refused and not store.account.inference_key
