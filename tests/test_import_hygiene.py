"""`api/` and `core/` never import Textual: it keeps `report` fast and the data path screen-free."""

import subprocess
import sys

import pytest

MODULES = [
    "venice_tui.cli",
    "venice_tui.api.client",
    "venice_tui.api.decoder",
    "venice_tui.core.report",
    "venice_tui.core.report_command",
    "venice_tui.core.settings",
    "venice_tui.core.credentials",
    "venice_tui.core.format",
    "venice_tui.demo.transport",
    "venice_tui.demo.server",
]


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext', 'plotext', 'rich'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_every_api_and_core_module_is_checked() -> None:
    from pathlib import Path

    import venice_tui

    root = Path(venice_tui.__file__).parent
    found = {
        "venice_tui." + ".".join(path.relative_to(root).with_suffix("").parts)
        for package in ("api", "core")
        for path in (root / package).glob("*.py")
        if path.name != "__init__.py"
    }
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in sorted(found))
        + "print(any(m.split('.')[0] in ('textual', 'textual_plotext') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
