"""Text from Venice made safe to show: control characters become visible, never obeyed.

Names, ids and error messages come from a server. A model named `"\\x1b]52;c;…\\x07"` would
write the clipboard if it reached a terminal raw, so every string is passed through `visible()`
where it is decoded: C0 and C1 controls, DEL, bidirectional overrides, zero-width and line
separators are replaced by their escaped form (`\\x1b`, `\\u202e`), which reads as what it is.
"""

from __future__ import annotations

import unicodedata

#: Unicode categories a terminal may act on or that hide or reorder text: controls, format
#: characters (bidi overrides, zero-width joiners), surrogates, line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def visible(text: str) -> str:
    """`text` with every character a terminal could obey replaced by its escaped form."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_visible_char(ch) for ch in text)


def _visible_char(ch: str) -> str:
    if ch == " " or unicodedata.category(ch) not in _UNSAFE_CATEGORIES:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace runs (newlines included) folded to one space, made visible, and cut at
    `limit` characters with an ellipsis."""
    flat = visible(" ".join(text.split()))
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat
