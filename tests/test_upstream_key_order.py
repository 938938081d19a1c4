"""Why `ui.key_order.KeyOrderMixin` exists, as a test that fails the day Textual fixes it.

In a plain Textual app a text field inserts a letter in its own queue at once, while other keys
(`ctrl+u`, `enter`) travel up to the app before their binding runs: typed in one burst,
`ctrl+u 250 enter` into a field holding `abc` clears *after* the letters and submits an empty
field. A review of the house pointed at Textual issue #6605 and pull request #6631 for this.
When this test fails, Textual delivers a burst in order by itself: remove the mixin (and this
test), and keep the ordering tests in `test_trust_ui.py`.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.ui_helpers import wait_until


class PlainApp(App[None]):
    submitted: str | None = None

    def compose(self) -> ComposeResult:
        yield Input("abc")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted = event.value


async def test_plain_textual_still_applies_a_burst_out_of_order() -> None:
    app = PlainApp()
    async with app.run_test() as pilot:
        box = app.query_one(Input)
        await wait_until(pilot, lambda: box.has_focus)
        for key, character in (("ctrl+u", None), *((c, c) for c in "250"), ("enter", None)):
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: app.submitted is not None)
        assert app.submitted == "", "Textual now keeps a burst in order: KeyOrderMixin can go"
