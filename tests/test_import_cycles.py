"""Below the UI no module needs itself back, not even for a type: the store, its slices, the
fetcher and the disk cache import downwards only (domain types such as `Source` sit at the
bottom). Import-linter's contracts skip type-only imports, so this counts them too."""

from __future__ import annotations

import grimp

BELOW_THE_UI = ("venice_tui.api", "venice_tui.archive", "venice_tui.core")


def import_cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), within `modules`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group: list[str] = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle_below_the_ui_even_for_types() -> None:
    graph = grimp.build_graph("venice_tui", exclude_type_checking_imports=False)
    modules = {m for m in graph.modules if m.startswith(BELOW_THE_UI)}
    assert len(modules) > 40
    assert import_cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_type_only_circle() -> None:
    graph = grimp.ImportGraph()
    for name in ("store", "state", "cache", "api"):
        graph.add_module(name)
    graph.add_import(importer="store", imported="state")
    graph.add_import(importer="state", imported="cache")
    graph.add_import(importer="cache", imported="store")  # under TYPE_CHECKING, say
    graph.add_import(importer="store", imported="api")
    assert import_cycles(graph, set(graph.modules)) == [["cache", "state", "store"]]
