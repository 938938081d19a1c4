"""Shown when no key is found: a masked input, where to keep the key, a check with Venice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, RadioButton, RadioSet, Static

from venice_tui.api.errors import AuthError, PaymentRequiredError, VeniceError
from venice_tui.api.secret import ApiKey
from venice_tui.core import key_file
from venice_tui.core.connection import Connection, Storage
from venice_tui.core.keyring_store import KeyringStatus, KeyringUnavailable
from venice_tui.core.paths import display_path

if TYPE_CHECKING:
    from venice_tui.ui.app import VeniceApp


class LoginScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    def __init__(self, connection: Connection, keyring: KeyringStatus) -> None:
        super().__init__()
        self.connection = connection
        self.keyring = keyring

    def compose(self) -> ComposeResult:
        profile = self.connection.profile
        with Vertical(id="login-dialog", classes="dialog"):
            yield Static(
                f"[b]Log in to Venice[/b]  [dim]profile {profile}[/dim]\n\n"
                "Paste an [b]ADMIN[/b] API key: billing data needs one (Venice → Settings → API).\n"
                "[dim]Or quit and set VENICE_API_KEY; it always wins over a stored key.[/dim]"
            )
            yield Input(placeholder="API key", password=True, id="login-key")
            yield Static("[b]Keep the key in[/b]")
            with RadioSet(id="login-storage"):
                if self.keyring.usable:
                    yield RadioButton(
                        f"the system keyring ({self.keyring.backend})",
                        value=True,
                        id="store-keyring",
                    )
                yield RadioButton(
                    f"a plaintext file, mode 0600: {display_path(key_file.key_file_path())}",
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
                    f"[dim]No keyring here: {self.keyring.reason}.[/dim]", id="login-keyring-note"
                )
            yield Button("Check and continue", id="login-submit", variant="primary")
            yield Static("", id="login-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#login-key", Input).focus()

    def _storage(self) -> Storage:
        pressed = self.query_one("#login-storage", RadioSet).pressed_button
        chosen = pressed.id if pressed is not None else "store-session"
        return {"store-keyring": Storage.KEYRING, "store-file": Storage.FILE}.get(
            chosen or "", Storage.SESSION
        )

    def _say(self, text: str) -> None:
        self.query_one("#login-error", Static).update(text)

    @on(Input.Submitted, "#login-key")
    @on(Button.Pressed, "#login-submit")
    def _submit(self) -> None:
        try:
            key = ApiKey(self.query_one("#login-key", Input).value)
        except ValueError as exc:
            self._say(f"[b $error]✗ {exc}[/]")
            return
        self.query_one("#login-submit", Button).disabled = True
        self._say("[dim]Checking the key with Venice…[/dim]")
        self._check(key, self._storage())

    @work(exclusive=True, exit_on_error=False)
    async def _check(self, key: ApiKey, storage: Storage) -> None:
        venice: VeniceApp = self.app  # type: ignore[assignment]
        client = self.connection.client(key)
        note = ""
        try:
            # The check is the first fetch: its answer is the dashboard's first data (and cached).
            analytics = await self.connection.fetcher(client, venice.now)(venice.store.period)
        except (AuthError, PaymentRequiredError) as exc:
            await client.aclose()
            self._say(f"[b $error]✗ {escape(str(exc))}[/]")
            self.query_one("#login-submit", Button).disabled = False
            return
        except VeniceError as exc:
            analytics = None
            note = f" Could not check it with Venice yet ({exc}); the dashboard keeps trying."
        try:
            where = await self._store(key, storage)
        except KeyringUnavailable as exc:
            await client.aclose()
            self._say(f"[b $error]✗ {escape(str(exc))}; pick another place to keep the key.[/]")
            self.query_one("#login-submit", Button).disabled = False
            return
        venice.connect(self.connection, client, analytics)
        venice.notify(f"Key {key.masked} kept in {where}.{note}", timeout=6, markup=False)
        self.dismiss()

    async def _store(self, key: ApiKey, storage: Storage) -> str:
        import asyncio

        return await asyncio.to_thread(
            self.connection.store_key, key, storage, self.keyring.backend
        )
