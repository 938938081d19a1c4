"""`venice-tui metrics --all-profiles`: one exporter for several accounts. Each profile keeps its
own `MetricsSource` (its key, its archive, its last good values, its own `venice_up` and data
age), so one failing keeps serving the others' values; every series carries a `profile` label.
Fetches start together but at most `FLEET_CONCURRENCY` accounts ask Venice at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from venice_tui.api.period import utc_now
from venice_tui.commands import exits
from venice_tui.commands.metrics import FIRST_WAIT, families
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.commands.report import say
from venice_tui.core.fleet import FLEET_CONCURRENCY
from venice_tui.core.paths import write_atomically

PROFILE_LABEL = "profile"


@dataclass
class FleetSource:
    """The sources of several profiles, scraped as one."""

    sources: dict[str, MetricsSource]

    @classmethod
    def of(cls, sources: Sequence[tuple[str, MetricsSource]]) -> FleetSource:
        gate = threading.BoundedSemaphore(FLEET_CONCURRENCY)
        for _, source in sources:
            source.gate = gate
        return cls(dict(sources))

    def on_scrape(self, wait: float = 0.0) -> None:
        """Every profile fetches when due; waits up to `wait` in all for the ones with nothing
        to serve yet (a first scrape), never longer because there are many."""
        for source in self.sources.values():
            source.on_scrape()
        deadline = time.monotonic() + wait
        for source in self.sources.values():
            left = deadline - time.monotonic()
            if source.data is None and left > 0:
                source.settle(left)

    def fetch_now(self) -> None:
        """Each profile's fetch (`--textfile`), a few at a time."""
        threads = [
            threading.Thread(target=source.fetch_now, daemon=True)
            for source in self.sources.values()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def say_with(self, say: Callable[[str], None]) -> None:
        """Each profile's failures and surprises, said with its name."""
        for profile, source in self.sources.items():
            source.on_failure = source.on_surprise = _prefixed(profile, say)


def _prefixed(profile: str, say: Callable[[str], None]) -> Callable[[str], None]:
    return lambda line: say(f"profile {profile}: {line}")


class FleetCollector(Collector):
    def __init__(self, fleet: FleetSource, first_wait: float = FIRST_WAIT) -> None:
        self.fleet, self.first_wait = fleet, first_wait

    def collect(self) -> Iterator[Metric]:
        self.fleet.on_scrape(wait=self.first_wait)
        yield from fleet_families(self.fleet)


def fleet_families(fleet: FleetSource) -> Iterator[Metric]:
    """Each profile's families, merged by name, every sample labelled with its profile."""
    merged: dict[str, Metric] = {}
    for profile, source in fleet.sources.items():
        for family in families(source):
            into = merged.get(family.name)
            if into is None:
                into = merged[family.name] = Metric(
                    family.name, family.documentation, family.type, family.unit
                )
            for sample in family.samples:
                labels = {PROFILE_LABEL: profile, **sample.labels}
                into.add_sample(sample.name, labels, sample.value, sample.timestamp)
    yield from merged.values()


def fleet_registry(fleet: FleetSource, first_wait: float = FIRST_WAIT) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(FleetCollector(fleet, first_wait))
    return registry


def write_fleet_textfile(fleet: FleetSource, path: Path) -> int:
    """Every profile fetched once, one file; a profile that failed is in it with
    `venice_up 0`, and nothing is written only when none answered."""
    fleet.say_with(say)
    fleet.fetch_now()
    if all(source.data is None for source in fleet.sources.values()):
        say("nothing written: no profile answered")
        return exits.FAILURE
    body = generate_latest(fleet_registry(fleet, first_wait=0))
    try:
        write_atomically(path, body, mode=0o644)  # numbers only, for node_exporter's user
    except OSError as exc:
        say(f"cannot write {path} ({exc.strerror or exc})")
        return exits.FAILURE
    say(f"wrote {path} at {utc_now():%Y-%m-%d %H:%M:%S} UTC")
    return exits.OK
