"""`d`: pick a period, a preset or a custom UTC range, checked with the command line's rules."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from venice_tui.core.domain import MAX_DAYS, MAX_PERIOD_DAYS, PRESET_DAYS, Period, PeriodError
from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.typeahead import TypeAhead

PRESET_LABELS = {1: "Today so far (UTC)", 7: "Last 7 days", 30: "Last 30 days", 90: "Last 90 days"}
#: Longer than one request: fetched month by month, then served from the local archive.
LONG_PRESETS = {182: "Last 6 months", 365: "Last 12 months"}
THIS_YEAR = "this-year"


class PeriodScreen(TypeAhead, ModalScreen[Period | None]):
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Period, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="period-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    ("Choose a period", "bold"),
                    (f"  UTC days; beyond {MAX_DAYS}, fetched month by month and archived", "dim"),
                )
            )
            yield OptionList(
                *(
                    Option(f"{days:>2}d  {PRESET_LABELS[days]}", id=f"{days}d")
                    for days in PRESET_DAYS
                ),
                *(
                    Option(f"{days:>3}d {label}", id=f"{days}d")
                    for days, label in LONG_PRESETS.items()
                ),
                Option(f"{self.today:%Y}  This year (since Jan 1)", id=THIS_YEAR),
                Option(
                    f"     Custom range{GLYPHS.ellipsis} (at most {MAX_PERIOD_DAYS} days)",
                    id="custom",
                ),
                id="presets",
            )
            first, last = self.current.first_and_last(self.today)
            with Horizontal(id="custom-range"):
                yield Label("Start")
                yield Input(first.isoformat(), placeholder="YYYY-MM-DD", id="start", max_length=10)
                yield Label("End")
                yield Input(last.isoformat(), placeholder="YYYY-MM-DD", id="end", max_length=10)
                yield Button("Apply", id="apply", variant="primary")
            yield Static("", id="period-error")
            yield Static(Content.styled("Enter picks · Tab moves · Esc cancels", "dim"))

    def on_mount(self) -> None:
        presets = self.query_one("#presets", OptionList)
        ids = [f"{days}d" for days in (*PRESET_DAYS, *LONG_PRESETS)] + [THIS_YEAR, "custom"]
        label = f"{self.current.lookback_days}d" if self.current.is_lookback else "custom"
        if self.current == self._this_year():
            label = THIS_YEAR
        presets.highlighted = ids.index(label) if label in ids else ids.index("custom")
        self.set_focus(presets)

    @on(OptionList.OptionSelected, "#presets")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "custom":
            self.set_focus(self.query_one("#start", Input))
            return
        assert event.option.id is not None
        if event.option.id == THIS_YEAR:
            self.dismiss(self._this_year())
            return
        self.dismiss(Period.parse_lookback(event.option.id))

    def _this_year(self) -> Period:
        return Period.between(self.today.replace(month=1, day=1), self.today)

    @on(Input.Submitted, "#start")
    def _start_done(self) -> None:
        self.set_focus(self.query_one("#end", Input))

    @on(Input.Submitted, "#end")
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        start = self.query_one("#start", Input).value
        end = self.query_one("#end", Input).value
        try:
            period = Period.parse_range(start or None, end or None, self.today, ("start", "end"))
        except PeriodError as exc:
            self.query_one("#period-error", Static).update(
                Content.styled(f"{GLYPHS.cross} {exc}", "bold $text-error")
            )
            return
        self.dismiss(period)

    def action_cancel(self) -> None:
        self.dismiss(None)
