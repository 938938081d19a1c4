"""Set a budget: a USD amount (empty removes it), checked before it is written to config.toml."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from venice_tui.core.budgets import MAX_BUDGET
from venice_tui.core.glyphs import GLYPHS
from venice_tui.ui.typeahead import TypeAhead

#: What the dialog returns: a new budget, None to remove it, or "cancel".
Choice = float | None | str


class BudgetDialog(TypeAhead, ModalScreen[Choice]):
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, words: str, current: float | None, where: str, thresholds: tuple[float, float]
    ) -> None:
        super().__init__()
        self.words, self.current, self.where = words, current, where
        self.warn_at, self.alert_at = thresholds

    def compose(self) -> ComposeResult:
        with Vertical(id="budget-dialog", classes="dialog"):
            yield Static(
                Content.assemble(
                    (f"Set the {self.words} budget", "bold"),
                    ("  USD, for this profile", "dim"),
                    f"\n\nWarned at {self.warn_at:.0%} of it, alerted at {self.alert_at:.0%}"
                    " (alerts.warn_at / alert_at).\n",
                    (f"Saved in {self.where}; your comments there are kept.", "dim"),
                )
            )
            yield Input(
                f"{self.current:g}" if self.current else "",
                placeholder="e.g. 500 (empty removes the budget)",
                id="budget-value",
            )
            yield Static("", id="budget-error")
            yield Static(Content.styled("Enter saves · Esc cancels", "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#budget-value", Input))

    @on(Input.Submitted, "#budget-value")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip("$").replace(",", "")
        if not text:
            self.dismiss(None)
            return
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 < value <= MAX_BUDGET:
            self.query_one("#budget-error", Static).update(
                Content.styled(
                    f"{GLYPHS.cross} {event.value!r} is not a budget: use an amount of USD above 0",
                    "bold $text-error",
                )
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss("cancel")
