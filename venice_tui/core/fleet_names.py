"""Which profiles a command over many accounts covers, with no imports at all (a status bar
pays for every module): the demo fleet's names and the `--profiles a,b` rule. `core.fleet`
builds on these."""

from __future__ import annotations

#: The demo's fleet (`--demo`): three accounts, each a profile of its own, served by key.
DEMO_FLEET = ("demo-work", "demo-client", "demo-staging")


class UnknownProfiles(ValueError):
    """`--profiles` named a profile there is no trace of (the message lists the known ones)."""


def selected(known: list[str] | tuple[str, ...], selection: str | None) -> list[str]:
    """`known` (None selection: every one), or the ones `--profiles a,b` names, in its order,
    each once. Raises UnknownProfiles with one line that lists the known ones."""
    if selection is None:
        return list(known)
    wanted = list(dict.fromkeys(name.strip() for name in selection.split(",") if name.strip()))
    listed = ", ".join(known) if known else "none"
    if not wanted:
        raise UnknownProfiles(f"--profiles names no profile; known: {listed}")
    unknown = [name for name in wanted if name not in known]
    if unknown:
        what = "profile" if len(unknown) == 1 else "profiles"
        raise UnknownProfiles(
            f"unknown {what} {', '.join(unknown)}; known: {listed} "
            "(add one with `venice-tui auth login --profile NAME`)"
        )
    return wanted
