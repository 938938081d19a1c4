"""The login screen through Pilot, against the loopback demo-server, with an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from textual.widgets import Input, RadioButton, Static

from tests.conftest import DemoServerProcess
from tests.fake_keyring import MemoryKeyring
from tests.harness import settle
from tests.ui_helpers import wait_until
from venice_tui.api.period import Period
from venice_tui.core import key_file
from venice_tui.core.connection import Connection
from venice_tui.core.settings import Settings
from venice_tui.ui.run import build_app
from venice_tui.ui.screens.login import LoginScreen

SECRET = "sk-admin-login-screen-0123456789"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VENICE_API_KEY", raising=False)
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


async def wait_for_login(pilot) -> LoginScreen:  # type: ignore[no-untyped-def]
    # Pushed is not built: the fields exist once the screen is mounted.
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, LoginScreen) and pilot.app.screen.is_mounted
    )
    screen: LoginScreen = pilot.app.screen
    return screen


def live_app(server: DemoServerProcess):  # type: ignore[no-untyped-def]
    settings = Settings(
        base_url=server.base_url, chosen_base_url=server.base_url, profile="default"
    )
    return build_app(settings, Connection(settings), Period.lookback(7), 60)


async def test_no_key_opens_login_and_a_good_key_opens_the_dashboard(
    demo_server: DemoServerProcess,
) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_login(pilot)
        box = screen.query_one("#login-key", Input)
        assert box.password
        assert screen.query_one("#store-keyring", RadioButton).value  # keyring chosen by default
        await pilot.press(*SECRET)
        assert SECRET not in str(box.render_line(0))  # masked on screen
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: not isinstance(app.screen, LoginScreen) and app.store.snapshot is not None,
        )
        await settle(pilot)
        assert app.store.snapshot is not None and len(app.store.snapshot.analytics.daily) == 7
        assert backend.entries[("venice-tui", "default")] == SECRET


async def test_an_inference_key_is_explained_and_not_kept(demo_server: DemoServerProcess) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_login(pilot)
        await pilot.press(*"inference-key-0123456789", "enter")
        await wait_until(
            pilot, lambda: "ADMIN key" in str(screen.query_one("#login-error", Static).render())
        )
        assert "ADMIN key" in str(screen.query_one("#login-error", Static).render())
        assert isinstance(app.screen, LoginScreen) and backend.entries == {}


async def test_without_a_keyring_the_choices_are_file_or_session(
    demo_server: DemoServerProcess,
) -> None:
    keyring.set_keyring(fail.Keyring())
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_login(pilot)
        assert not screen.query("#store-keyring")
        assert screen.query_one("#store-session", RadioButton).value
        screen.query_one("#store-file", RadioButton).value = True
        await pilot.pause()
        screen.query_one("#login-key", Input).value = SECRET
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert key_file.read_keys() == {"default": SECRET}


async def test_a_key_in_the_environment_skips_login(
    demo_server: DemoServerProcess, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VENICE_API_KEY", SECRET)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        assert app.store.snapshot is not None and not isinstance(app.screen, LoginScreen)


async def test_switch_profile_from_the_command_palette(demo_server: DemoServerProcess) -> None:
    keyring.set_keyring(fail.Keyring())
    key_file.store_key("default", SECRET)
    key_file.store_key("work", "sk-admin-work-profile-99999999")
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Switch profile: work" in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Switch profile: work"
        )
        command.callback()
        await wait_until(
            pilot,
            lambda: app.session.account.profile == "work" and app.store.snapshot is not None,
        )
        assert app.session.account.profile == "work"
        assert app.store.snapshot is not None
        assert "Switch profile: default" in {c.title for c in app.get_system_commands(app.screen)}


async def test_switching_to_a_profile_without_a_key_asks_for_one(
    demo_server: DemoServerProcess,
) -> None:
    keyring.set_keyring(fail.Keyring())
    key_file.store_key("default", SECRET)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        app.session.switch_profile("fresh")
        screen = await wait_for_login(pilot)
        assert "profile fresh" in str(screen.query_one(Static).render())
        assert app.store.snapshot is None  # the other account's numbers left the screen
        screen.query_one("#login-key", Input).value = "sk-admin-fresh-profile-1234"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: not isinstance(app.screen, LoginScreen) and app.store.snapshot is not None,
        )
        assert app.session.account.profile == "fresh"
        assert app.store.snapshot is not None


async def test_a_key_file_that_cannot_be_written_is_said_and_the_form_comes_back(
    demo_server: DemoServerProcess, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("VENICE_TUI_CONFIG_DIR", str(blocker / "config"))
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_for_login(pilot)
        screen.query_one("#store-file", RadioButton).value = True
        await pilot.pause()
        screen.query_one("#login-key", Input).value = SECRET
        await pilot.press("enter")
        error = screen.query_one("#login-error", Static)
        await wait_until(pilot, lambda: "could not keep the key there" in str(error.render()))
        assert not screen.query_one("#login-submit").disabled  # the form is usable again
        assert isinstance(app.screen, LoginScreen) and SECRET not in str(error.render())


async def test_without_a_key_the_dashboard_never_says_it_is_fetching(
    demo_server: DemoServerProcess,
) -> None:
    keyring.set_keyring(fail.Keyring())
    app = live_app(demo_server)
    said: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        message = app.screen.query_one("#loading-message", Static)
        while not isinstance(app.screen, LoginScreen):
            said.append(str(message.render()))
            await pilot.pause(0.01)
        assert said and all("Fetching" not in text for text in said)
        assert "Looking for your API key" in said[-1]
        await settle(pilot)  # the login screen mounted whole before the app ends


async def test_the_nav_bar_says_whose_data_it_is(
    demo_server: DemoServerProcess, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from textual.geometry import Region

    from venice_tui.ui.widgets.nav import NavBar

    monkeypatch.setenv("VENICE_API_KEY", SECRET)
    app = live_app(demo_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.store.snapshot is not None)
        await settle(pilot)
        nav = app.screen.query_one(NavBar)
        text = nav.render_lines(Region(0, 0, nav.outer_size.width, 1))[0].text
        assert "profile default · key ••••6789" in text
        assert SECRET not in text
