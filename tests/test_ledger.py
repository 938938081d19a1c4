"""The usage ledger: decoding (JSON and CSV, hostile values), the demo's endpoint as the live
service behaves, walks into the archive (resume after a kill, an expired cursor, duplicates,
CSV), the demo ledger adding up to the usage, and reconciliation catching a planted mismatch."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.harness import FIXED_NOW
from venice_tui.api.errors import BadRequestError
from venice_tui.api.ledger import decode_ledger_csv, decode_ledger_json, history_call
from venice_tui.api.secret import ApiKey
from venice_tui.api.sync_client import VeniceSyncClient
from venice_tui.api.values import ResponseShapeError
from venice_tui.archive.archive import Archive
from venice_tui.archive.ledger import covered_days, daily_sums, get_state
from venice_tui.archive.ledger_sync import LedgerWalk
from venice_tui.archive.reconcile import describe_checks, reconcile_archive
from venice_tui.demo.responder import DemoResponder
from venice_tui.demo.transport import DEMO_BASE_URL, DemoSyncTransport

TODAY = FIXED_NOW.date()
ENTRY = {
    "amount": -0.06356,
    "currency": "DIEM",
    "inferenceDetails": {
        "completionTokens": 227,
        "inferenceExecutionTime": 2964,
        "promptTokens": 339,
        "requestId": "chatcmpl-4007fd29",
    },
    "notes": "API Inference",
    "pricePerUnitUsd": 2.8,
    "sku": "zai-org-glm-5-1-llm-output-mtoken",
    "timestamp": "2026-06-15 19:05:10.504000+00:00",
    "units": 0.000227,
}


def page(*entries: dict[str, object], cursor: object = None) -> bytes:
    return json.dumps({"data": list(entries), "nextCursor": cursor}).encode()


def test_a_json_page_decodes_as_the_schema_describes() -> None:
    decoded = decode_ledger_json(page(ENTRY, {**ENTRY, "inferenceDetails": None}, cursor="AZq3_-x"))
    first, second = decoded.entries
    assert decoded.next_cursor == "AZq3_-x"
    assert first.ts == int(
        datetime.fromisoformat("2026-06-15T19:05:10.504+00:00").timestamp() * 1000
    )
    assert (first.currency, first.charged, first.prompt_tokens) == ("DIEM", 0.06356, 339)
    assert second.request_id is None and second.exec_ms is None
    strings = decode_ledger_json(page({**ENTRY, "amount": "-0.0636", "units": "0.0002"}))
    assert strings.entries[0].amount == -0.0636  # 4-decimal strings, as Venice sometimes sends


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"amount": "NaN"}, "amount"),
        ({"amount": 1e300}, "not a plausible amount"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"timestamp": None}, "timestamp is missing"),
        ({"inferenceDetails": {"requestId": "x", "promptTokens": -3}}, "promptTokens"),
    ],
)
def test_a_bad_value_is_one_error_naming_the_field(change: dict[str, object], needle: str) -> None:
    with pytest.raises(ResponseShapeError, match=needle):
        decode_ledger_json(page({**ENTRY, **change}))


def test_names_are_shown_never_obeyed_and_a_strange_cursor_is_refused() -> None:
    hostile = decode_ledger_json(page({**ENTRY, "sku": "\x1b]0;pwned\x07[red]x[/]"}))
    assert "\x1b" not in hostile.entries[0].sku and "\x07" not in hostile.entries[0].sku
    with pytest.raises(ResponseShapeError, match="nextCursor"):
        decode_ledger_json(page(ENTRY, cursor="abc&startTimestamp=0"))


def test_a_csv_page_decodes_like_json() -> None:
    body = (
        b"timestamp,sku,currency,amount,units,pricePerUnitUsd,notes,requestId,promptTokens,"
        b"completionTokens,inferenceExecutionTime\n"
        b"2026-06-15T19:05:10.504Z,zai-org-glm-5-1-llm-output-mtoken,DIEM,-0.06356,0.000227,"
        b"2.8,API Inference,chatcmpl-4007fd29,339,227,2964\n"
    )
    decoded = decode_ledger_csv(body, "next-1")
    assert decoded.next_cursor == "next-1"
    assert decoded.entries == decode_ledger_json(page(ENTRY)).entries
    with pytest.raises(ResponseShapeError, match="without the column"):
        decode_ledger_csv(b"when,what\n1,2\n", None)
    with pytest.raises(ResponseShapeError):
        decode_ledger_csv(b"<html>oops</html>", None)


def client(responder: DemoResponder) -> VeniceSyncClient:
    return VeniceSyncClient(
        ApiKey("demo-admin-key"),
        DEMO_BASE_URL,
        transport=DemoSyncTransport(responder),
        sleep=lambda _: None,
    )


def walk_all(archive: Archive, responder: DemoResponder, **options: object) -> LedgerWalk:
    walk = LedgerWalk(archive, FIXED_NOW, **options)  # type: ignore[arg-type]
    with client(responder) as venice:
        while (call := walk.next_call()) is not None:
            try:
                walk.take(venice.ledger(call))
            except BadRequestError:
                assert walk.on_cursor
                walk.cursor_refused()
    return walk


def test_the_demo_endpoint_refuses_what_the_live_one_refuses() -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    with client(responder) as venice:
        first = venice.ledger(history_call(start=FIXED_NOW - timedelta(days=1)))
        assert len(first.entries) == 1000 and first.next_cursor
        assert [e.ts for e in first.entries] == sorted(e.ts for e in first.entries)
        both = history_call(cursor=first.next_cursor)
        with pytest.raises(BadRequestError):
            venice.get(
                type(both)(both.path, {**both.params, "pageSize": "10"}, both.what, retry=False)
            )
        with pytest.raises(BadRequestError, match="pageSize"):
            venice.ledger(history_call(page_size=5))
        with pytest.raises(BadRequestError):
            venice.ledger(history_call(cursor="bm90LWEtY3Vyc29y"))


def test_a_finished_day_of_the_demo_ledger_adds_up_to_its_usage(tmp_path: Path) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    archive = Archive(tmp_path / "a.sqlite3")
    walk = walk_all(archive, responder, since=FIXED_NOW - timedelta(days=3))
    assert walk.done and walk.added == walk.seen == archive.ledger_count() > 3000
    day = TODAY - timedelta(days=1)
    usd, diem = archive.run(lambda db: daily_sums(db, day, day))[day]
    body = responder.account.analytics([day], FIXED_NOW, "1d")["byDate"][0]
    assert math.isclose(usd, body["USD"], abs_tol=1e-6)
    assert math.isclose(diem, body["DIEM"], abs_tol=1e-6)
    first, last = covered_days(archive.ledger_state()) or (None, None)
    assert (first, last) == (TODAY - timedelta(days=2), TODAY - timedelta(days=1))


def test_a_killed_walk_resumes_from_its_cursor_and_ends_with_the_same_rows(tmp_path: Path) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    whole = Archive(tmp_path / "whole.sqlite3")
    walk_all(whole, responder, since=FIXED_NOW - timedelta(days=5))
    killed = Archive(tmp_path / "killed.sqlite3")
    walk = LedgerWalk(killed, FIXED_NOW, since=FIXED_NOW - timedelta(days=5))
    with client(responder) as venice:
        for _ in range(3):  # three pages, then the process dies
            call = walk.next_call()
            assert call is not None
            walk.take(venice.ledger(call))
    assert killed.ledger_count() == 3000 and get_state(killed.run(lambda db: db))
    resumed = walk_all(killed, responder)
    assert resumed.resumed and resumed.done
    assert killed.ledger_count() == whole.ledger_count()
    assert covered_days(killed.ledger_state()) == covered_days(whole.ledger_state())


def test_an_expired_cursor_restarts_from_the_last_row_without_duplicates(tmp_path: Path) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    whole = Archive(tmp_path / "whole.sqlite3")
    walk_all(whole, responder, since=FIXED_NOW - timedelta(days=4))
    archive = Archive(tmp_path / "a.sqlite3")
    responder.set_fault("expired-cursor", count=2, path="/billing/usage-history")
    walk = walk_all(archive, responder, since=FIXED_NOW - timedelta(days=4))
    assert walk.restarts == 2 and walk.done
    assert archive.ledger_count() == whole.ledger_count()
    assert walk.seen > walk.added  # the restarts asked for rows it had: stored once


def test_csv_pages_store_the_same_rows_as_json(tmp_path: Path) -> None:
    responder = DemoResponder(now=lambda: FIXED_NOW)
    as_json, as_csv = Archive(tmp_path / "j.sqlite3"), Archive(tmp_path / "c.sqlite3")
    walk_all(as_json, responder, since=FIXED_NOW - timedelta(hours=20))
    walk_all(as_csv, responder, since=FIXED_NOW - timedelta(hours=20), as_csv=True)
    query = "SELECT ts, currency, amount, units FROM ledger ORDER BY ts, fingerprint"
    assert as_json.run(lambda db: db.execute(query).fetchall()) == as_csv.run(
        lambda db: db.execute(query).fetchall()
    )


def test_an_incremental_walk_asks_only_for_what_is_new(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a.sqlite3")
    walk_all(archive, DemoResponder(now=lambda: FIXED_NOW), since=FIXED_NOW - timedelta(days=1))
    count = archive.ledger_count()
    later = FIXED_NOW + timedelta(hours=2)
    again = LedgerWalk(archive, later)
    with client(DemoResponder(now=lambda: later)) as venice:
        while (call := again.next_call()) is not None:
            again.take(venice.ledger(call))
    assert again.pages == 1 and 0 < again.added < 1000
    assert archive.ledger_count() == count + again.added


def test_reconciliation_finds_a_planted_mismatch(tmp_path: Path) -> None:
    from tests.payloads import encode
    from venice_tui.api.decoder import decode_usage
    from venice_tui.api.period import Period

    responder = DemoResponder(now=lambda: FIXED_NOW)
    archive = Archive(tmp_path / "a.sqlite3")
    walk_all(archive, responder, since=FIXED_NOW - timedelta(days=4))
    week = Period.lookback(7)
    body = encode(responder.account.analytics(week.days(TODAY), FIXED_NOW, "7d"))
    archive.fold(decode_usage(body, week, TODAY), FIXED_NOW)
    checks = reconcile_archive(archive, TODAY)
    assert [c.day for c in checks] == [TODAY - timedelta(days=n) for n in (3, 2, 1)]
    assert all(c.matches for c in checks), describe_checks(checks)
    planted = (TODAY - timedelta(days=2)).isoformat()
    archive.run(
        lambda db: db.execute("UPDATE usage_day SET usd = usd + 0.5 WHERE day = ?", (planted,))
    )
    text = describe_checks(reconcile_archive(archive, TODAY))
    assert text.startswith("MISMATCH on 1 of 3 days") and planted in text and "$-0.50" in text
