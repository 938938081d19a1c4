"""`venice-tui --demo serve` in a real browser (Debian's headless Chromium, driven over the
DevTools protocol): the printed address lets it in and shows the Overview's numbers, `2` shows
Models, and the same page without the token is refused."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import aiohttp
import pytest

from tests.cdp import CHROMIUM, SCREEN_TEXT, Browser
from tests.conftest import cli_env
from tests.serve_support import Served

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def demo_total_usd(env: dict[str, str]) -> str:
    """The Overview's headline figure, as `report` computes it for the same account and day."""
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "--demo", "report", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return f"${json.loads(result.stdout)['totals']['usd']:,.2f}"


def test_a_browser_opens_the_printed_address_and_drives_the_dashboard() -> None:
    env = cli_env()
    total = demo_total_usd(env)
    served = Served("--demo", env=env)
    browser = Browser()

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            await browser.open(session)
            await browser.navigate(f"{served.url}/")
            refused = await browser.evaluate("document.body.innerText")
            assert "open the address `venice-tui serve` printed" in refused
            assert await browser.evaluate("window.__terminals === undefined")

            await browser.navigate(served.login_url)
            assert await browser.evaluate("location.href") == f"{served.url}/"  # token dropped
            screen = await browser.wait_for(SCREEN_TEXT, "USD spent")
            screen = await browser.wait_for(SCREEN_TEXT, total)
            assert "Overview" in screen and "demo data" in screen
            await browser.press("2")
            await browser.wait_for(SCREEN_TEXT, "Cache Read")
            await browser.press("0")  # the demo fleet's three accounts, each on its own
            await browser.wait_for(SCREEN_TEXT, "demo-staging")
            await browser.ws.close()
        # The page ran under its own policy with nothing refused (fonts, styles, scripts).
        assert not [said for said in browser.console if "Content Security Policy" in said]

    try:
        asyncio.run(scenario())
    finally:
        browser.close()
        code, err = served.stop()
    assert code == 0 and "Traceback" not in err and served.token not in err
