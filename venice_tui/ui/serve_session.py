"""One browser tab's dashboard under `venice-tui serve`: its process, its size, its end.

textual-serve runs the command through a shell, trusts the size a browser asks for, and waits
as long as it takes for a dashboard to answer "quit". Here the dashboard runs without a shell in
a process group of its own, its terminal is clamped to a size a screen can show, and it is ended
(asked, then terminated, then killed) within a few seconds of its websocket closing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from venice_tui.ui.serve_access import TOKEN_ENV

MAX_WIDTH = 500
MAX_HEIGHT = 200
GRACE_SECONDS = 2.0


class Malformed(ValueError):
    """A request no page of ours sends; the message names what was wrong, in a few words."""


def clamp(width: int, height: int) -> tuple[int, int]:
    return max(1, min(width, MAX_WIDTH)), max(1, min(height, MAX_HEIGHT))


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Malformed("width and height must be whole numbers")
    try:
        return int(value)
    except ValueError:
        raise Malformed("width and height must be whole numbers") from None


def terminal_size(query: Mapping[str, str]) -> tuple[int, int]:
    """The size the websocket's address asks for (80x24 when it names none), clamped."""
    return clamp(_whole(query.get("width", "80")), _whole(query.get("height", "24")))


@dataclass(frozen=True)
class Message:
    kind: str  # stdin, resize, ping, blur or focus
    text: str = ""
    width: int = 0
    height: int = 0


def parse_message(raw: str) -> Message:
    """A message of the page's script: `["stdin", "q"]`, `["resize", {"width": …}]`, …"""
    try:
        envelope = json.loads(raw)
    except ValueError:
        raise Malformed("not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise Malformed("not a [type, data] list")
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind in ("stdin", "ping"):
        if not isinstance(data, str):
            raise Malformed(f"{kind} without text")
        return Message(kind, text=data)
    if kind == "resize":
        if not isinstance(data, dict):
            raise Malformed("resize without a size")
        width, height = clamp(_whole(data.get("width")), _whole(data.get("height")))
        return Message(kind, width=width, height=height)
    if kind in ("blur", "focus"):
        return Message(kind)
    raise Malformed("an unknown message type")


class Session(AppService):
    """The dashboard behind one websocket."""

    def __init__(
        self,
        argv: list[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[Any]],
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = argv

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(*clamp(width, height))
        environment.pop(TOKEN_ENV, None)  # the dashboard has no use for the way in
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,  # its group is ended with it, whatever it started
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp(width, height))

    async def stop(self) -> None:
        """Ask the dashboard to quit; terminate it if it has not within the grace, then kill.
        Safe to call more than once, and from a task being cancelled."""
        process, task = self._process, self._task
        self._task = None
        if process is None:
            return
        if task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            if process.returncode is None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.send_meta({"type": "quit"}), GRACE_SECONDS)
        for next_signal in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(process.wait()), GRACE_SECONDS)
            if process.returncode is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, next_signal)
        await process.wait()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
