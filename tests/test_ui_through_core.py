"""Screens and widgets reach data through `core`: no module under `ui` imports `api` or
`archive` itself, not even for a type. Import-linter's contract in pyproject.toml skips
type-only imports (`exclude_type_checking_imports`), so this counts them too."""

from __future__ import annotations

import grimp

BELOW_CORE = ("venice_tui.api", "venice_tui.archive")


def test_ui_imports_neither_api_nor_archive_even_for_types() -> None:
    graph = grimp.build_graph("venice_tui", exclude_type_checking_imports=False)
    ui = {m for m in graph.modules if m.startswith("venice_tui.ui")}
    assert len(ui) > 20
    direct = sorted(
        f"{module} -> {imported}"
        for module in ui
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith(BELOW_CORE)
    )
    assert direct == []


def test_the_ui_still_reaches_them_through_core() -> None:
    graph = grimp.build_graph("venice_tui")
    assert graph.chain_exists("venice_tui.ui.app", "venice_tui.api.period")
    assert graph.chain_exists("venice_tui.ui.screens.history", "venice_tui.archive.ledger_query")
