"""Files written into a folder others may write to (a shared `--textfile` folder, `report -o`,
an export): links planted at every name a writer could predict, or at the target itself, are
never followed, nothing outside is touched and every mode is the one we meant."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from venice_tui.api.period import Period
from venice_tui.commands.metrics import write_textfile
from venice_tui.commands.metrics_source import MetricsSource
from venice_tui.commands.report import write_file
from venice_tui.core.budgets import Budgets
from venice_tui.core.paths import write_atomically, write_private_file
from venice_tui.demo.connection import DemoConnection

SECRET_TEXT = b"the owner's own file, not ours to touch\n"


def victim(tmp_path: Path) -> Path:
    """Another file of the owner's, outside the shared folder, private."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    target = home / "notes.txt"
    target.write_bytes(SECRET_TEXT)
    target.chmod(0o600)
    return target


def plant(shared: Path, name: str, target: Path) -> list[Path]:
    """Links at every temporary name a writer of `name` could predict (any pid near ours)."""
    planted = []
    for pid in {os.getpid(), *range(max(1, os.getpid() - 64), os.getpid() + 64)}:
        link = shared / f".{name}.{pid}.tmp"
        link.symlink_to(target)
        planted.append(link)
    return planted


def untouched(secret: Path, planted: list[Path]) -> None:
    assert secret.read_bytes() == SECRET_TEXT
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert all(link.is_symlink() and link.resolve() == secret for link in planted)


def metrics_textfile(path: Path) -> None:
    source = MetricsSource(DemoConnection.standard(), Period.lookback(7), Budgets())
    assert write_textfile(source, path) == 0


def report_output(path: Path) -> None:
    assert write_file(path, "date,usd,diem\n") == 0


def export(path: Path) -> None:
    write_atomically(path, b"model,usd\n")  # what `e` writes, through the same helper


WRITERS: dict[str, Callable[[Path], None]] = {
    "metrics --textfile": metrics_textfile,
    "report -o": report_output,
    "export": export,
}


@pytest.mark.parametrize("writer", WRITERS)
def test_links_planted_at_the_temporary_names_are_never_followed(
    tmp_path: Path, writer: str
) -> None:
    secret = victim(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    planted = plant(shared, "venice.prom", secret)
    WRITERS[writer](shared / "venice.prom")
    untouched(secret, planted)
    written = shared / "venice.prom"
    assert not written.is_symlink() and written.read_bytes() != SECRET_TEXT
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    leftovers = set(shared.iterdir()) - set(planted) - {written}
    assert not leftovers, leftovers


@pytest.mark.parametrize("writer", WRITERS)
def test_a_link_at_the_target_is_replaced_and_its_target_left_alone(
    tmp_path: Path, writer: str
) -> None:
    secret = victim(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "venice.prom"
    target.symlink_to(secret)
    WRITERS[writer](target)
    untouched(secret, [])
    assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_private_files_are_0600_from_creation_and_ignore_planted_links(tmp_path: Path) -> None:
    secret = victim(tmp_path)
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    planted = plant(folder, "keys.toml", secret)
    write_private_file(folder / "keys.toml", b"[keys]\n")
    untouched(secret, planted)
    assert stat.S_IMODE((folder / "keys.toml").stat().st_mode) == 0o600
    assert (folder / "keys.toml").read_bytes() == b"[keys]\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    assert write_file(target, "new\n") == 1
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
