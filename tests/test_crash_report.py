"""Textual prints locals in its crash report; the key must not be among what it prints."""

import subprocess
import sys
from pathlib import Path

from tests.crash_app import SECRET

ROOT = Path(__file__).resolve().parents[1]


def test_a_crash_report_never_shows_the_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.crash_app"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert "RuntimeError" in output and "boom while sending" in output  # the report was printed
    assert "locals" in output.lower() or "╭" in output
    assert SECRET not in output
    assert "ApiKey(••••6789)" in output
