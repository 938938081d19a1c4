"""The `venice-tui` command's first step: a status bar's `statusline` is answered before the
command line parser and the HTTP client are imported; everything else goes to `cli`."""

from __future__ import annotations

import sys


def main() -> int:
    from venice_tui.core.marks import mark

    mark("interpreter ready")
    if sys.argv[1:2] == ["statusline"]:
        from venice_tui.commands.statusline import run_statusline

        return run_statusline(sys.argv[2:])
    from venice_tui.cli import main as full

    return full()
