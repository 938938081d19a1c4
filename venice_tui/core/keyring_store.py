"""The OS keyring, used only when it is real and answers: never a hang, never a fake backend.

Every call runs on a daemon thread with a deadline, so a locked keyring that pops up a prompt
nobody can see (an SSH session) cannot freeze the app; a daemon thread cannot block exit either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

SERVICE = "venice-tui"
PROBE_TIMEOUT = 3.0
_PROBE_USER = "__venice_tui_probe__"

T = TypeVar("T")


class KeyringUnavailable(Exception):
    """No usable keyring; the message says why in words a person understands."""


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    usable: bool
    backend: str
    reason: str = ""


def _call_with_deadline(func: Callable[[], T], timeout: float, what: str) -> T:
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=run, name="keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise KeyringUnavailable(
            f"the keyring did not answer within {timeout:.0f} s ({what}); is it locked?"
        )
    if failure:
        # Only the type: a backend's message could echo what it was given, and that may be a key.
        raise KeyringUnavailable(f"the keyring failed ({what}): {type(failure[0]).__name__}")
    return result[0]


def _backend_problem(backend: object) -> str | None:
    from keyring.backends import chainer, fail

    try:
        from keyring.backends import null

        null_type: type | None = null.Keyring
    except ImportError:  # pragma: no cover - very old keyring
        null_type = None
    if isinstance(backend, fail.Keyring):
        return "no keyring backend is installed or running (common on headless servers)"
    if null_type is not None and isinstance(backend, null_type):
        return "the keyring is switched off (null backend)"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "no keyring backend is installed or running (common on headless servers)"
    priority = getattr(backend, "priority", 1)
    if isinstance(priority, int | float) and priority <= 0:
        return f"the keyring backend {type(backend).__name__} is not usable here"
    return None


def probe(timeout: float = PROBE_TIMEOUT) -> KeyringStatus:
    """Whether the keyring can hold keys: a real backend that answers a test read in time."""
    try:
        import keyring
    except Exception as exc:  # a broken install must not break the app
        return KeyringStatus(False, "none", f"the keyring library failed to load: {exc}")
    try:
        backend = _call_with_deadline(keyring.get_keyring, timeout, "finding a backend")
        name = _backend_name(backend)
        problem = _backend_problem(backend)
        if problem:
            return KeyringStatus(False, name, problem)
        _call_with_deadline(
            lambda: backend.get_password(SERVICE, _PROBE_USER), timeout, "test read"
        )
    except KeyringUnavailable as exc:
        return KeyringStatus(False, "unknown", str(exc))
    return KeyringStatus(True, name)


def _backend_name(backend: object) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else type(backend).__name__


def get(profile: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    import keyring

    return _call_with_deadline(
        lambda: keyring.get_password(SERVICE, profile), timeout, "reading a key"
    )


def put(profile: str, secret: str, timeout: float = PROBE_TIMEOUT) -> None:
    import keyring

    _call_with_deadline(
        lambda: keyring.set_password(SERVICE, profile, secret), timeout, "storing a key"
    )


def delete(profile: str, timeout: float = PROBE_TIMEOUT) -> bool:
    """Remove the profile's key; False when there was none."""
    import keyring
    from keyring.errors import PasswordDeleteError

    def remove() -> bool:
        try:
            keyring.delete_password(SERVICE, profile)
        except PasswordDeleteError:
            return False
        return True

    return _call_with_deadline(remove, timeout, "removing a key")
