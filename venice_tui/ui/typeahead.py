"""Keys typed for a text field that is still opening land in it, in order.

A key is routed when it arrives. Typed fast (`/` then `web`), the letters after `/` arrive
before the filter has the focus and reach the screen itself; a screen with this mixin puts
them into the field they were typed for, instead of dropping them or running them as commands.
"""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.screen import Screen
from textual.widgets import Input


class TypeAhead:
    """Mixed into screens (before `Screen`/`ModalScreen` in the bases)."""

    #: Set while a field was asked for (the filter after `/`) but cannot have the focus yet
    #: (its screen is still being built); keys typed meanwhile are for it.
    typing_pending: bool = False

    def pending_text_target(self) -> Input | None:
        """The field `typing_pending` is about, once it exists."""
        return None

    def text_target(self) -> Input | None:
        focused = cast("Screen[Any]", self).focused
        return focused if isinstance(focused, Input) else self.pending_text_target()

    @property
    def is_typing(self) -> bool:
        """Whether keys that type text should go to a field rather than run as commands."""
        return self.typing_pending or self.text_target() is not None

    def on_key(self, event: events.Key) -> None:
        target = self.text_target()
        if target is None:
            return
        if event.is_printable and event.character:
            target.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            target.action_delete_left()
        else:
            return
        event.stop()
        event.prevent_default()
