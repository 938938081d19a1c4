"""Ledger pages too big: more rows than were asked for, or a body past the size limit. Refused
whole, in words that fit the ledger (no "shorten the period" to `sync`)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.ledger_server import LedgerServer, MockAccount, body, row
from venice_tui.api import exchange
from venice_tui.archive.archive import Archive
from venice_tui.commands import sync


@pytest.fixture(autouse=True)
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync, "PAGES_PER_SECOND", 1e9)


@pytest.mark.parametrize("as_csv", [False, True])
def test_a_page_far_larger_than_asked_for_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_csv: bool
) -> None:
    rows = [row(f"2026-11-20T10:{i // 60 % 60:02d}:{i % 60:02d}.000Z", n=i) for i in range(1500)]

    def answer(request: httpx.Request, n: int) -> httpx.Response:
        if not as_csv:
            return body(rows, None)
        lines = ["timestamp,sku,currency,amount,units"]
        lines += [f"{r['timestamp']},{r['sku']},USD,{r['amount']},0.1" for r in rows]
        return httpx.Response(200, content="\n".join(lines).encode())

    path = tmp_path / "a.sqlite3"
    assert sync.run_sync(MockAccount(LedgerServer(answer), path), None, as_csv) == 1
    err = capsys.readouterr().err
    assert "a ledger page of 1,500 rows where at most 1,000 were asked for" in err
    assert Archive(path).ledger_count() == 0


def test_a_ledger_body_too_large_does_not_advise_a_shorter_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exchange, "MAX_BODY_BYTES", 4096)
    server = LedgerServer(lambda request, n: body([row("2026-11-20T10:00:00.000Z")] * 50, None))
    assert sync.run_sync(MockAccount(server, tmp_path / "a.sqlite3"), None, False) == 1
    err = capsys.readouterr().err
    assert "answer for the usage ledger is larger than" in err
    assert "period" not in err
