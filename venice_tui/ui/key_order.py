"""Keys typed in one burst take effect one after another, in the order they were typed.

Textual hands each key to the focused widget's queue as soon as the app reads it. A text field
inserts a letter in its own queue at once, while every other key (backspace, home, ctrl+u,
enter, escape, tab) travels up to the app before its binding runs: typed in one burst (a fast
typist over SSH, where keys arrive together), `ctrl+u 250 enter` became `250`, then the clear,
then an empty submit. And a key is aimed at the widget focused when the app reads it, before
the `tab` typed ahead of it has moved the focus.

So the app holds each key until the one before it has been handled: after a key goes to its
widget, a marker follows it along the same way up (every queue on the way is first in, first
out); when the marker reaches the app, that key is done and the next one goes out.

Textual itself delivers a burst out of order (a review pointed at Textual issue #6605 and pull
request #6631); `tests/test_upstream_key_order.py` fails the day it no longer does, and then
this mixin can go.
"""

from __future__ import annotations

from collections import deque

from textual import events
from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

#: How often a key still in flight is looked after: while its widget is still there the key is
#: still being handled (a big screen being built on a busy machine can take seconds) and the
#: others keep waiting; a widget that went away mid-way takes its marker with it, and then the
#: others go on.
CHECK_EVERY = 0.5
#: A marker lost on its way up with its widget still there (never seen, but a stuck keyboard
#: would be far worse than one key out of order) lets the others go after this many checks.
GIVE_UP_AFTER_CHECKS = 20


class KeySettled(Message, bubble=True):
    """Follows key number `serial` up the DOM; at the app, that key has been handled."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyOrderMixin(App[int]):
    _held_keys: deque[events.Key] | None = None
    _key_serial = 0
    _key_in_flight: int | None = None
    _key_release: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._key_in_flight is not None:
            if self._held_keys is None:
                self._held_keys = deque()
            self._held_keys.append(event)
            return
        await self._send_key(event)

    async def _send_key(self, event: events.Key) -> None:
        await super().on_event(event)  # priority bindings, else to the focused widget
        if not event.is_forwarded:
            return  # handled by the app itself (a priority binding): nothing to wait for
        self._key_serial += 1
        serial = self._key_serial
        target = self.focused or self.screen
        if not target.post_message(KeySettled(serial)):
            return
        self._key_in_flight = serial
        checks = iter(range(GIVE_UP_AFTER_CHECKS))
        self._key_release = self.set_interval(
            CHECK_EVERY, lambda: self._release_if_gone(serial, target, next(checks, None))
        )

    async def _release_if_gone(self, serial: int, target: Widget, check: int | None) -> None:
        gone = not target.is_attached or target._closing or target._closed
        if gone or check is None:
            await self._settle(serial)

    async def on_key_settled(self, message: KeySettled) -> None:
        message.stop()
        await self._settle(message.serial)

    async def _settle(self, serial: int) -> None:
        if self._key_in_flight != serial:
            return
        self._key_in_flight = None
        if self._key_release is not None:
            self._key_release.stop()
            self._key_release = None
        held = self._held_keys
        while held and self._key_in_flight is None:
            await self._send_key(held.popleft())
