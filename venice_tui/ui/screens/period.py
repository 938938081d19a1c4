"""`d`: pick a period, a preset or a custom UTC range, checked with the command line's rules."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from venice_tui.api.period import Period, PeriodError

PRESETS = (
    (1, "Today so far (UTC)"),
    (7, "Last 7 days"),
    (30, "Last 30 days"),
    (90, "Last 90 days"),
)


class PeriodScreen(ModalScreen[Period | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Period) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="period-dialog", classes="dialog"):
            yield Static("[b]Choose a period[/b]  [dim](UTC days, at most 90)[/dim]")
            yield OptionList(
                *(Option(f"{days:>2}d  {label}", id=f"{days}d") for days, label in PRESETS),
                Option("     Custom range…", id="custom"),
                id="presets",
            )
            with Horizontal(id="custom-range"):
                yield Label("Start")
                yield Input(placeholder="YYYY-MM-DD", id="start", max_length=10)
                yield Label("End")
                yield Input(placeholder="YYYY-MM-DD", id="end", max_length=10)
                yield Button("Apply", id="apply", variant="primary")
            yield Static("", id="period-error")
            yield Static("[dim]Enter picks · Tab moves · Esc cancels[/dim]")

    def on_mount(self) -> None:
        presets = self.query_one("#presets", OptionList)
        if self.current.is_lookback:
            ids = [f"{days}d" for days, _ in PRESETS]
            label = f"{self.current.lookback_days}d"
            presets.highlighted = ids.index(label) if label in ids else 0
        else:
            presets.highlighted = len(PRESETS)
            assert self.current.start and self.current.end
            self.query_one("#start", Input).value = self.current.start.isoformat()
            self.query_one("#end", Input).value = self.current.end.isoformat()
        presets.focus()

    @on(OptionList.OptionSelected, "#presets")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "custom":
            self.query_one("#start", Input).focus()
            return
        assert event.option.id is not None
        self.dismiss(Period.parse_lookback(event.option.id))

    @on(Input.Submitted, "#start")
    def _start_done(self) -> None:
        self.query_one("#end", Input).focus()

    @on(Input.Submitted, "#end")
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        start = self.query_one("#start", Input).value
        end = self.query_one("#end", Input).value
        try:
            period = Period.parse_range(start or None, end or None)
        except PeriodError as exc:
            self.query_one("#period-error", Static).update(f"[b $error]✗ {exc}[/]")
            return
        self.dismiss(period)

    def action_cancel(self) -> None:
        self.dismiss(None)
