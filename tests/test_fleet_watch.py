"""One profile of the fleet watched on its own, through the real client on the demo fleet's
accounts (answered in-process by key): what a background refresh asks, a 429's wait, a refused
key keeping the last good data, and the schedule that runs them."""

from __future__ import annotations

from tests.harness import FIXED_NOW
from venice_tui.core.fleet_refresh import FleetRefresh
from venice_tui.core.fleet_watch import ProfileWatch, Watched
from venice_tui.demo.connection import demo_fleet_member
from venice_tui.demo.responder import DemoResponder


def watch_of(profile: str, responder: DemoResponder, seen: list[Watched]) -> ProfileWatch:
    account = demo_fleet_member(responder, profile, today=lambda: FIXED_NOW.date())
    return ProfileWatch(account, lambda: FIXED_NOW, seen.append)


async def test_a_background_refresh_asks_what_a_row_shows_and_no_more() -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    seen: list[Watched] = []
    watch = watch_of("demo-client", responder, seen)
    outcome = await watch.refresh()
    assert outcome.ok
    state = watch.watched.state
    assert state.month.value is not None and state.balance.value is not None
    assert state.keys.value and state.limits.value is not None and state.recent.value is not None
    assert watch.watched.key_tail == "c41e" and watch.watched.error is None
    first = responder.requests
    assert first == 5  # month, balance, key list, key limits, the 30 days before today

    assert (await watch.refresh()).ok
    assert responder.requests - first == 4  # the 30 days before today: once a UTC day
    assert seen[0].loading and not seen[-1].loading


async def test_a_429_is_waited_out_and_a_refused_key_keeps_the_last_good_data() -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    seen: list[Watched] = []
    watch = watch_of("demo-staging", responder, seen)
    assert (await watch.refresh()).ok
    good = watch.watched.state.month.value

    responder.set_fault("429", key="demo-staging")
    outcome = await watch.refresh()
    assert not outcome.ok and outcome.server_wait >= 2
    assert "rate limited" in (watch.watched.error or "").lower()

    responder.set_fault("401", key="demo-staging")
    outcome = await watch.refresh()
    assert not outcome.ok and watch.watched.refused
    assert watch.watched.state.month.value == good
    await watch.close()


async def test_the_fleet_skips_the_profile_on_screen_and_spaces_the_rest() -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    accounts = [
        demo_fleet_member(responder, p, today=lambda: FIXED_NOW.date())
        for p in ("demo-work", "demo-client", "demo-staging")
    ]
    clock = [1000.0]
    fleet = FleetRefresh(accounts, lambda: FIXED_NOW, lambda: clock[0])
    fleet.current = "demo-work"
    fleet.show_disk(fleet.read_disk())  # nothing on disk for the demo: each due soon
    started: list[tuple[float, str]] = []
    for _ in range(10):
        clock[0] += 1.0
        for watch in fleet.due():
            started.append((clock[0], watch.profile))
            fleet.ran(watch, await watch.refresh())
    assert [p for _, p in started] == ["demo-client", "demo-staging"]
    assert started[1][0] - started[0][0] >= 1.0
    assert fleet.watched("demo-work") == Watched("demo-work")  # the dashboard's own
    await fleet.close()
