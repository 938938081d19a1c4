"""A program in a real pseudo-terminal, read as a person would see it (text, escapes stripped)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time

_ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PtyApp:
    def __init__(
        self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 36
    ) -> None:
        self.started = time.perf_counter()
        #: The same instant on the clock the program's start-up marks use (`core/marks.py`).
        self.started_monotonic = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.text = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.text += _ESCAPES.sub(b"", chunk).decode("utf-8", "replace")
        return True

    def wait_for(self, marker: str, timeout: float = 30.0) -> float:
        """Seconds from now until `marker` shows in new output."""
        start = time.perf_counter()
        self.text = ""
        return self._until(marker, start, timeout)

    def time_from_start(self, marker: str, timeout: float = 30.0) -> float:
        return self._until(marker, self.started, timeout)

    def _until(self, marker: str, start: float, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while marker not in self.text:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} did not appear within {timeout} s")
            self._read(0.05)
        return time.perf_counter() - start

    def press(self, keys: str, marker: str, timeout: float = 30.0) -> float:
        self.drain()
        self.text = ""
        start = time.perf_counter()
        os.write(self.fd, keys.encode())
        return self._until(marker, start, timeout)

    def drain(self, seconds: float = 0.0) -> None:
        end = time.perf_counter() + seconds
        while self._read(max(0.0, end - time.perf_counter())) or time.perf_counter() < end:
            pass

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mib(self) -> float:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.write(self.fd, b"q")
            for _ in range(40):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
                self.drain(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)
