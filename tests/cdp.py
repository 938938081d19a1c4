"""A headless Chromium driven over the DevTools protocol, with aiohttp's websocket client:
just what the browser test of `venice-tui serve` needs (no Playwright, no browser download)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = Path("/usr/bin/chromium")
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")

# textual.js keeps its xterm.js Terminal in a closure; this catches it as the page's script
# stores it (`this.terminal = new Terminal(…)`), so the test reads the terminal's own buffer.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
    window.__terminals = (window.__terminals || []).concat([value]);
  },
});
"""
SCREEN_TEXT = """(() => {
  const term = (window.__terminals || [])[0];
  if (!term) return "";
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
})()"""


class Browser:
    """One headless Chromium with a profile of its own, and one page of it."""

    def __init__(self) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="venice-tui-chromium-")
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                f"--user-data-dir={self.profile.name}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        said = ""
        while not (found := LISTENING.search(said)):
            line = self.process.stderr.readline()
            assert line, f"chromium did not start: {said}"
            said += line
        self.endpoint = found.group(1).split("/devtools/")[0].replace("ws://", "http://")
        self.process.stderr.close()  # its further chatter is not ours to keep
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self.console: list[str] = []  # what the page's console and Chromium's log said

    async def open(self, session: aiohttp.ClientSession) -> None:
        async with session.get(f"{self.endpoint}/json/list") as reply:
            pages = [t for t in await reply.json() if t["type"] == "page"]
        self.ws = await session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        await self.call("Log.enable")
        await self.call("Runtime.enable")
        await self.call("Emulation.setFocusEmulationEnabled", enabled=True)
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        await self.ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = await self._receive()
            if message.get("id") == ident:
                assert "error" not in message, message
                return dict(message.get("result", {}))

    async def navigate(self, url: str) -> None:
        self._events.clear()
        await self.call("Page.navigate", url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in self._events):
            await self._receive()

    async def _receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads((await self.ws.receive(timeout=60)).data)
        if "method" in message:
            self._events.append(message)
            params = message.get("params", {})
            if message["method"] == "Log.entryAdded":
                self.console.append(str(params["entry"].get("text")))
            elif message["method"] == "Runtime.consoleAPICalled":
                self.console += [str(arg.get("value")) for arg in params.get("args", [])]
        return message

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, wanted: str, seconds: float = 60) -> str:
        """The value of `expression` once it contains `wanted` (polled, as a person looks)."""
        deadline = time.monotonic() + seconds
        value = ""
        while wanted not in value:
            assert time.monotonic() < deadline, f"{wanted!r} never appeared in:\n{value}"
            await asyncio.sleep(0.1)
            value = str(await self.evaluate(expression))
        return value

    async def press(self, key: str) -> None:
        await self.evaluate("window.__terminals[0].focus()")
        code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
        common = {"key": key, "code": code, "windowsVirtualKeyCode": ord(key.upper())}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=key, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()
