"""The archive when the disk fills up half-way through a page: the failure reads as a full disk
(our words), and nothing the rolled-back transaction made, not even a SKU's id remembered in
memory, outlives it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.ledger_server import LedgerServer, MockAccount, body, row
from venice_tui.api.ledger import LedgerEntry, decode_ledger_json
from venice_tui.archive.archive import Archive
from venice_tui.archive.db import ArchiveError
from venice_tui.commands import sync


def entries(*rows: dict[str, object]) -> tuple[LedgerEntry, ...]:
    return decode_ledger_json(json.dumps({"data": list(rows), "nextCursor": None})).entries


def fill_up(archive: Archive) -> None:
    """The disk full from now on: the file may not grow by a single page."""
    archive.run(lambda db: db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
    (pages,) = archive.run(lambda db: db.execute("PRAGMA page_count").fetchone())
    archive.run(lambda db: db.execute(f"PRAGMA max_page_count = {pages}"))


def room_again(archive: Archive) -> None:
    archive.run(lambda db: db.execute("PRAGMA max_page_count = 1073741823"))


def big_page(sku: str, count: int = 1000) -> tuple[LedgerEntry, ...]:
    return entries(*(row(f"2026-11-20T10:00:00.{i % 1000:03d}Z", sku, n=i) for i in range(count)))


def stored_skus(archive: Archive) -> list[tuple[str | None, str]]:
    return archive.run(
        lambda db: db.execute(
            "SELECT l.request_id, t.text FROM ledger l JOIN ledger_text t ON t.id = l.sku "
            "ORDER BY l.id"
        ).fetchall()
    )


def test_a_full_disk_is_said_as_such(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.sqlite3")
    archive.store_ledger_page(entries(row("2026-11-20T09:00:00.000Z", "sku-a")), {})
    fill_up(archive)
    with pytest.raises(ArchiveError) as caught:
        archive.store_ledger_page(big_page("sku-b"), {"cursor": "abc"})
    message = str(caught.value)
    assert "disk is full" in message and "free some space" in message
    assert "rollback" not in message and "\n" not in message
    room_again(archive)
    assert archive.ledger_count() == 1 and archive.ledger_state() == {}


def test_a_sku_id_of_a_rolled_back_page_is_never_given_to_another_sku(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.sqlite3")
    archive.store_ledger_page(entries(row("2026-11-20T09:00:00.000Z", "sku-a")), {})
    fill_up(archive)
    with pytest.raises(ArchiveError):
        archive.store_ledger_page(big_page("sku-b"), {})
    room_again(archive)
    archive.store_ledger_page(entries(row("2026-11-21T09:00:00.000Z", "sku-c")), {})
    archive.store_ledger_page(entries(row("2026-11-22T09:00:00.000Z", "sku-b")), {})
    skus = [text for _, text in stored_skus(archive)]
    assert skus == ["sku-a", "sku-c", "sku-b"]
    fresh = Archive(tmp_path / "a.sqlite3")
    assert [text for _, text in stored_skus(fresh)] == skus


def test_sync_on_a_full_disk_is_one_line_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.sqlite3"
    archive = Archive(path)
    archive.store_ledger_page(entries(row("2026-11-20T09:00:00.000Z", "sku-a")), {})
    fill_up(archive)
    account = MockAccount(LedgerServer(lambda request, n: body([], None)), path)
    monkeypatch.setattr(account, "archive", lambda: archive)
    rows = [row(f"2026-11-24T10:00:00.{i:03d}Z", "sku-b", n=i) for i in range(1000)]
    account.server.answer = lambda request, n: body(rows, None)
    assert sync.run_sync(account, None, False) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "rollback" not in err and err.count("\n") == 1


def test_the_error_code_not_the_wording_decides(tmp_path: Path) -> None:
    from venice_tui.archive.db import describe_failure

    full = sqlite3.OperationalError("anything at all")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    assert "disk is full" in describe_failure(full, tmp_path / "a.sqlite3")
    other = sqlite3.OperationalError("database is locked")
    assert "disk is full" not in describe_failure(other, tmp_path / "a.sqlite3")
