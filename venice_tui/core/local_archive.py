"""The local archive as the dashboard uses it: the `Archive` it opens per account, the ledger
walk it keeps in sync, the reconciliation with usage-analytics, and the queries History pages
with (`ledger_page`, `lines`).

Defined in `archive`; `ui` takes them from here, so that the only arrows from the Textual face go
through `core` (the import-linter contract "Screens and widgets reach data through core" in
pyproject.toml). Names only: nothing is defined here.
"""

from __future__ import annotations

from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError, QueryStopped
from venice_tui.archive.ledger_query import (
    DAY_MS,
    LedgerLine,
    LedgerPage,
    LedgerScope,
    LedgerTotals,
    LedgerView,
    SkuCost,
    SortKey,
    ledger_page,
    lines,
)
from venice_tui.archive.ledger_sync import LedgerWalk, LedgerWalkError
from venice_tui.archive.reconcile import DayCheck, reconcile_archive

__all__ = [
    "DAY_MS",
    "Archive",
    "ArchiveError",
    "DayCheck",
    "LedgerLine",
    "LedgerPage",
    "LedgerScope",
    "LedgerTotals",
    "LedgerView",
    "LedgerWalk",
    "LedgerWalkError",
    "QueryStopped",
    "SkuCost",
    "SortKey",
    "ledger_page",
    "lines",
    "reconcile_archive",
]
