"""`sync` against a ledger that misbehaves: a cursor sent again, empty pages that promise more, a
row stamped 9999-12-31. Each walk ends, in our words, and nothing it should not keep is kept or
becomes where the next walk starts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.ledger_server import LedgerServer, MockAccount, body, row
from venice_tui.archive.archive import Archive
from venice_tui.commands import sync


@pytest.fixture(autouse=True)
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync, "PAGES_PER_SECOND", 1e9)


def run(server: LedgerServer, path: Path) -> int:
    return sync.run_sync(MockAccount(server, path), None, False)


def test_a_cursor_sent_back_again_ends_the_walk_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: httpx.Request, n: int) -> httpx.Response:
        return body([row("2026-11-20T10:00:00.000Z", n=n)], "c2xvdy1jdXJzb3I")

    server = LedgerServer(answer)
    assert run(server, tmp_path / "a.sqlite3") == 1
    err = capsys.readouterr().err
    assert len(server.requests) == 2
    assert "Venice sent a ledger cursor it had sent before" in err and err.count("\n") == 1
    archive = Archive(tmp_path / "a.sqlite3")
    assert archive.ledger_count() == 2  # what came is kept
    assert "cursor" not in archive.ledger_state()  # and the next walk starts from the rows


def test_cursors_that_come_round_again_are_caught_too(tmp_path: Path) -> None:
    cursors = ["YQ", "Yg", "Yw", "YQ"]

    def answer(request: httpx.Request, n: int) -> httpx.Response:
        return body([row(f"2026-11-20T10:00:0{n}.000Z")], cursors[n % len(cursors)])

    server = LedgerServer(answer)
    assert run(server, tmp_path / "a.sqlite3") == 1
    assert len(server.requests) == 4


def test_empty_pages_that_promise_more_end_the_walk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: httpx.Request, n: int) -> httpx.Response:
        return body([], f"bm9uZQ{n}")  # a new cursor every time, never a row

    server = LedgerServer(answer)
    assert run(server, tmp_path / "a.sqlite3") == 1
    err = capsys.readouterr().err
    assert len(server.requests) == 3
    assert "3 ledger pages in a row that brought nothing new" in err
    assert "cursor" not in Archive(tmp_path / "a.sqlite3").ledger_state()


def test_the_same_rows_again_and_again_under_new_cursors_end_the_walk(tmp_path: Path) -> None:
    def answer(request: httpx.Request, n: int) -> httpx.Response:
        return body([row("2026-11-20T10:00:00.000Z")], f"c2FtZQ{n}")

    server = LedgerServer(answer)
    assert run(server, tmp_path / "a.sqlite3") == 1
    assert len(server.requests) == 4  # one page of news, then three of nothing


def test_a_row_stamped_9999_is_left_out_and_never_the_next_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: httpx.Request, n: int) -> httpx.Response:
        return body([row("2026-11-24T08:00:00.000Z"), row("9999-12-31T23:59:59.999Z")], cursor=None)

    server = LedgerServer(answer)
    path = tmp_path / "a.sqlite3"
    assert run(server, path) == 0
    assert "left out 1 ledger row dated more than a day ahead" in capsys.readouterr().err
    assert Archive(path).ledger_count() == 1
    assert run(server, path) == 0, capsys.readouterr().err
    again = server.requests[-1].url.params["startTimestamp"]
    assert again == "2026-11-24T08:00:00.000Z"


def test_an_archive_already_holding_a_future_row_resumes_from_the_real_last_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from venice_tui.api.ledger import decode_ledger_json

    path = tmp_path / "a.sqlite3"
    poisoned = decode_ledger_json(
        body([row("2026-11-24T08:00:00.000Z"), row("9999-12-31T23:59:59.999Z")], None).content
    )
    Archive(path).store_ledger_page(poisoned.entries, {})  # as an older version stored it

    server = LedgerServer(lambda request, n: body([], None))
    assert run(server, path) == 0, capsys.readouterr().err
    assert server.requests[0].url.params["startTimestamp"] == "2026-11-24T08:00:00.000Z"


def test_a_stamp_past_the_last_year_datetime_holds_is_one_error_naming_the_field() -> None:
    from venice_tui.api.ledger import decode_ledger_json
    from venice_tui.api.values import ResponseShapeError

    late = body([row("9999-12-31T23:59:59.999-05:00")], None).content
    with pytest.raises(ResponseShapeError, match=r"data\[0\]\.timestamp"):
        decode_ledger_json(late)
