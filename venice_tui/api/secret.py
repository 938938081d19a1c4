"""An API key that never shows itself: `repr`/`str`/f-strings print a mask, never the key."""

from __future__ import annotations

from typing import Any, NoReturn

#: Venice keys are a few dozen characters; anything far longer is a paste gone wrong.
MAX_KEY_LENGTH = 256
_KEY_CHAR_MIN, _KEY_CHAR_MAX = "!", "~"


class ApiKey:
    """Holds the key; only `reveal()` gives it back, and only the HTTP client should call it.

    Textual's crash report prints local variables, so every printable form is masked.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        cleaned = value.strip()
        if not cleaned:
            raise ValueError("an API key cannot be empty")
        if any(ch.isspace() for ch in cleaned):
            raise ValueError("an API key cannot contain spaces or line breaks")
        if not all(_KEY_CHAR_MIN <= ch <= _KEY_CHAR_MAX for ch in cleaned):
            raise ValueError("an API key has only printable ASCII characters (no control codes)")
        if len(cleaned) > MAX_KEY_LENGTH:
            raise ValueError(
                f"that is {len(cleaned)} characters, longer than any API key "
                f"(at most {MAX_KEY_LENGTH}); was something else pasted with it?"
            )
        object.__setattr__(self, "_value", cleaned)

    def reveal(self) -> str:
        value: str = object.__getattribute__(self, "_value")
        return value

    @property
    def tail(self) -> str:
        """The last 4 characters, enough to tell keys apart; none for a key under 12."""
        value = self.reveal()
        return value[-4:] if len(value) >= 12 else ""

    @property
    def masked(self) -> str:
        """The last 4 characters behind a mask, e.g. `••••3fa9`; short keys show only the mask."""
        return f"••••{self.tail}"

    def __repr__(self) -> str:
        return f"ApiKey({self.masked})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other.reveal() == self.reveal()

    def __hash__(self) -> int:
        return hash(self.reveal())

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("ApiKey is immutable")

    def __reduce__(self) -> NoReturn:
        raise TypeError("ApiKey cannot be pickled")
