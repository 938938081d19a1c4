"""What screens and widgets may read from the app: its reactive, app-wide state.

State flows down: the app owns the store and mirrors it into these reactives; screens and
widgets watch them and never call into the app. Requests flow up as actions (`app.refresh_now`
from a binding or a click) and messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, Protocol, cast

from venice_tui.core.account_state import AccountState
from venice_tui.core.budgets import Budgets, Finding
from venice_tui.core.figures import Figures
from venice_tui.core.store import Snapshot, StoreStatus

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from venice_tui.core.local_archive import Archive
    from venice_tui.ui.fleet_service import FleetView
    from venice_tui.ui.ledger_service import LedgerState

Currency = Literal["both", "usd", "diem"]
CURRENCY_CYCLE: tuple[Currency, ...] = ("both", "usd", "diem")


@dataclass(frozen=True, slots=True)
class Tick:
    """The app's clock, advanced once a second: wall time (UTC) and a monotonic reading."""

    now: datetime
    monotonic: float


@dataclass(frozen=True, slots=True)
class RefreshPlan:
    """When the next refresh runs: `next_at` is on the monotonic clock, None when none is armed."""

    interval: int
    paused: bool = False
    next_at: float | None = None


class Host(Protocol):
    snapshot: Snapshot | None
    status: StoreStatus
    currency: Currency
    tick: Tick
    plan: RefreshPlan
    #: Who the data belongs to, e.g. `profile work · key ••••6789` or `demo data`.
    owner: str
    #: The profile's name alone (`demo` for the demo), e.g. for the names of exported files.
    profile_name: str
    #: Balance, API keys and the key's limits, each with its own age and error.
    account: AccountState
    #: The account's rate, forecast, spikes, today and month so far: the same for every view.
    figures: Figures
    #: The profile's budgets, and what stands at or past a warning line now.
    budgets: Budgets
    findings: tuple[Finding, ...]
    #: The ledger in the local archive (History), and the archive itself (None: none).
    ledger: LedgerState
    archive: Archive | None
    #: Every other profile of the fleet, each watched on its own (the Accounts screen).
    fleet: FleetView
    #: A day History was asked to open at, numbered.
    history_request: tuple[int, date] | None


def host(node: DOMNode) -> Host:
    """The app seen through what it shares with screens (typing only; no calls into it)."""
    return cast("Host", node.app)
