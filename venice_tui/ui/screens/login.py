"""Shown when no key is found or Venice refuses the key: a masked input, where to keep the key,
a check with Venice. It returns what it found (`LoginResult`) and never touches the app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static
from textual.worker import Worker, WorkerState

from venice_tui.core import key_file
from venice_tui.core.connection import Storage
from venice_tui.core.domain import (
    ApiKey,
    AuthError,
    Clock,
    PaymentRequiredError,
    Period,
    VeniceError,
    one_line,
)
from venice_tui.core.keyring_store import KeyringStatus, KeyringUnavailable
from venice_tui.core.paths import display_path
from venice_tui.ui.typeahead import TypeAhead

if TYPE_CHECKING:
    from venice_tui.core.domain import UsageAnalytics, VeniceClient
    from venice_tui.ui.session import Account


@dataclass(frozen=True)
class LoginResult:
    account: Account
    client: VeniceClient
    key: ApiKey
    #: The check's answer: the dashboard's first data (None when Venice could not be reached).
    first: UsageAnalytics | None
    message: str


class LoginScreen(TypeAhead, Screen[LoginResult | None]):
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("escape", "leave", "Back", show=False),
    ]

    def __init__(
        self,
        account: Account,
        keyring: KeyringStatus,
        period: Period,
        *,
        clock: Clock,
        reason: str | None = None,
        can_go_back: bool = False,
    ) -> None:
        super().__init__()
        self.account = account
        self.keyring = keyring
        self.period = period
        self.clock = clock
        self.reason = reason
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        with Vertical(id="login-dialog", classes="dialog"):
            intro: list[str | tuple[str, str]] = [
                ("Log in to Venice", "bold"),
                (f"  profile {self.account.profile}", "dim"),
            ]
            if self.reason:
                intro += ["\n\n", (self.reason, "$text-error")]
            intro += [
                "\n\nPaste an ",
                ("ADMIN", "bold"),
                " API key: billing data needs one (Venice → Settings → API).\n",
                ("Or quit and set VENICE_API_KEY; it always wins over a stored key.", "dim"),
            ]
            yield Static(Content.assemble(*intro))
            yield Input(placeholder="API key", password=True, id="login-key")
            yield Static(Content.styled("Keep the key in", "bold"))
            with RadioSet(id="login-storage"):
                if self.keyring.usable:
                    yield RadioButton(
                        Content(f"the system keyring ({self.keyring.backend})"),
                        value=True,
                        id="store-keyring",
                    )
                yield RadioButton(
                    Content(
                        f"a plaintext file, mode 0600: {display_path(key_file.key_file_path())}"
                    ),
                    value=False,
                    id="store-file",
                )
                yield RadioButton(
                    "this session only (asked again next time)",
                    value=not self.keyring.usable,
                    id="store-session",
                )
            if not self.keyring.usable:
                yield Static(
                    Content.styled(f"No keyring here: {self.keyring.reason}.", "dim"),
                    id="login-keyring-note",
                )
            yield Button("Check and continue", id="login-submit", variant="primary")
            yield Static("", id="login-error")
            leave = "Esc goes back to the dashboard" if self.can_go_back else "Esc quits"
            yield Static(Content.styled(f"Enter checks · Tab moves · {leave}", "dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#login-key", Input))

    def action_leave(self) -> None:
        if self.can_go_back:
            self.dismiss(None)
        else:
            self.app.exit()

    def _storage(self) -> Storage:
        pressed = self.query_one("#login-storage", RadioSet).pressed_button
        chosen = pressed.id if pressed is not None else "store-session"
        return {"store-keyring": Storage.KEYRING, "store-file": Storage.FILE}.get(
            chosen or "", Storage.SESSION
        )

    def _say(self, text: str, style: str = "") -> None:
        self.query_one("#login-error", Static).update(Content.styled(text, style))

    def _fail(self, text: str) -> None:
        self._say(f"✗ {text}", "bold $text-error")
        self.query_one("#login-submit", Button).disabled = False

    @on(Input.Submitted, "#login-key")
    @on(Button.Pressed, "#login-submit")
    def _submit(self) -> None:
        try:
            key = ApiKey(self.query_one("#login-key", Input).value)
        except ValueError as exc:
            self._fail(str(exc))
            return
        self.query_one("#login-submit", Button).disabled = True
        self._say("Checking the key with Venice…", "dim")
        self._check(key, self._storage())

    @work(exclusive=True, exit_on_error=False, group="login")
    async def _check(self, key: ApiKey, storage: Storage) -> None:
        client = self.account.client(key)
        note = ""
        try:
            # The check is the first fetch: its answer is the dashboard's first data.
            first = await client.fetch(self.period)
        except (AuthError, PaymentRequiredError) as exc:
            await client.aclose()
            self._fail(exc.in_dashboard)
            return
        except VeniceError as exc:
            first = None
            note = f" Could not check it with Venice yet ({exc.in_dashboard}); the dashboard keeps trying."
        try:
            where = await asyncio.to_thread(
                self.account.store_key, key, storage, self.keyring.backend
            )
        except (KeyringUnavailable, OSError) as exc:
            await client.aclose()
            reason = str(exc) if isinstance(exc, KeyringUnavailable) else exc.strerror or str(exc)
            self._fail(
                f"could not keep the key there ({one_line(reason, 160)}); pick another place"
            )
            return
        message = f"Key {key.masked} kept in {where}.{note}"
        self.dismiss(LoginResult(self.account, client, key, first, message))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.group == "login":
            error = event.worker.error
            self._fail(
                f"checking the key failed unexpectedly ({type(error).__name__}: "
                f"{one_line(str(error), 160)}); try again"
            )
