"""The fleet's refresh schedule on a fake clock: staggered, spaced, each profile backing off
alone."""

from __future__ import annotations

import itertools

from venice_tui.core.fleet_schedule import MIN_SPACING, FleetSchedule


def run(
    schedule: FleetSchedule, until: float, ok: bool = True, step: float = 0.5
) -> list[tuple[float, str]]:
    """Tick every `step` seconds; every refresh ends at once."""
    started: list[tuple[float, str]] = []
    now = 0.0
    while now <= until:
        for profile in schedule.due(now):
            started.append((now, profile))
            schedule.finished(profile, ok, now)
        now += step
    return started


def test_ten_profiles_never_start_in_the_same_second() -> None:
    schedule = FleetSchedule([f"p{i}" for i in range(10)], now=0.0, interval=300.0)
    started = run(schedule, 900.0)
    times = [t for t, _ in started]
    assert all(b - a >= MIN_SPACING for a, b in itertools.pairwise(times))
    assert {p for _, p in started} == {f"p{i}" for i in range(10)}
    # Each profile about once per interval, spread over it.
    assert len(started) == 31  # p0 at 0, 300, 600, 900; the others three times
    assert sorted(t for t, p in started if p == "p3")[:2] == [90.0, 390.0]


def test_fifty_profiles_due_at_once_are_spaced() -> None:
    schedule = FleetSchedule([f"p{i}" for i in range(50)], now=0.0, interval=300.0)
    for i in range(50):
        schedule.due_at(f"p{i}", 0.0)
    started = run(schedule, 60.0)
    per_second: dict[int, int] = {}
    for t, _ in started:
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    assert max(per_second.values()) == 1
    assert len({p for _, p in started}) == 50


def test_a_failing_profile_backs_off_alone() -> None:
    schedule = FleetSchedule(["bad", "good"], now=0.0, interval=100.0)
    started: list[tuple[float, str]] = []
    now = 0.0
    while now <= 1000.0:
        for profile in schedule.due(now):
            started.append((now, profile))
            schedule.finished(profile, profile == "good", now)
        now += 1.0
    good = [t for t, p in started if p == "good"]
    bad = [t for t, p in started if p == "bad"]
    assert good == [50.0 + 100.0 * i for i in range(10)]
    assert bad == [0.0, 200.0, 600.0]  # 200 s, then 400 s, then 800 s (past the end)


def test_the_server_wait_is_honoured() -> None:
    schedule = FleetSchedule(["a"], now=0.0, interval=60.0)
    assert schedule.due(0.0) == ["a"]
    schedule.finished("a", False, 0.0, server_wait=900.0)
    assert schedule.next_at("a") == 900.0


def test_a_running_refresh_is_not_started_twice() -> None:
    schedule = FleetSchedule(["a"], now=0.0, interval=60.0)
    assert schedule.due(0.0) == ["a"]
    assert schedule.due(500.0) == []
    schedule.finished("a", True, 500.0)
    assert schedule.due(560.0) == ["a"]
