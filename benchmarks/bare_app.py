"""The floor we measure against: a bare Textual app (one line), with three switchable modes.

With VENICE_TUI_BENCH_MARKS set it marks the same start-up points as ours (`core/marks.py`)."""

from __future__ import annotations

import os
import sys
import time

_MARKS = os.environ.get("VENICE_TUI_BENCH_MARKS")


def mark(name: str, modules: bool = False) -> None:
    if _MARKS:
        with open(_MARKS, "a", encoding="utf-8") as marks:
            marks.write(f"{time.monotonic():.6f} {name}\n")
            if modules:
                marks.write(f"modules {' '.join(sorted(sys.modules))}\n")


mark("interpreter ready")

from textual.app import App, ComposeResult  # noqa: E402 (after the mark on purpose)
from textual.screen import Screen  # noqa: E402
from textual.widgets import Footer, Static  # noqa: E402

mark("dashboard imported")


class _Bare(Screen[None]):
    MARK = ""

    def compose(self) -> ComposeResult:
        yield Static(self.MARK)
        yield Footer()


class One(_Bare):
    MARK = "bare-screen-one"

    def on_mount(self) -> None:
        self.call_after_refresh(mark, "data painted", True)


class Two(_Bare):
    MARK = "bare-screen-two"


class Three(_Bare):
    MARK = "bare-screen-three"


class BareApp(App[None]):
    MODES = {"one": One, "two": Two, "three": Three}
    DEFAULT_MODE = "one"
    BINDINGS = [
        ("1", "switch_mode('one')", "One"),
        ("2", "switch_mode('two')", "Two"),
        ("3", "switch_mode('three')", "Three"),
        ("q", "quit", "Quit"),
    ]

    def on_mount(self) -> None:
        mark("app mounted")
        self.call_after_refresh(mark, "first frame")


if __name__ == "__main__":
    app = BareApp()
    mark("app built")
    app.run()
