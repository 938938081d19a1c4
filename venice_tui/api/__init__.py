"""The one place that talks to Venice. Imports no Textual (tests/test_import_hygiene.py)."""

import sys

# httpx imports its own command-line client (click, rich, pygments: some 40 ms, a sixth of a
# one-shot `report`) whenever those are installed, and we never run it. Marked absent before
# httpx is first imported, it is skipped: httpx puts its "install httpx[cli]" stub in its place.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
