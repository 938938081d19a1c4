"""The floor we measure against: a bare Textual app (one line), with three switchable modes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class _Bare(Screen[None]):
    MARK = ""

    def compose(self) -> ComposeResult:
        yield Static(self.MARK)
        yield Footer()


class One(_Bare):
    MARK = "bare-screen-one"


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


if __name__ == "__main__":
    BareApp().run()
