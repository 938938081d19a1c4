"""The real `venice-tui report` as a subprocess against the real demo-server on loopback."""

from __future__ import annotations

import calendar
import csv
import io
import json
import math
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
KEY = "sk-admin-e2e-0123456789SECRET"


def report(
    server: DemoServerProcess, *args: str, key: str | None = KEY
) -> subprocess.CompletedProcess[str]:
    env = cli_env(VENICE_BASE_URL=server.base_url, **({"VENICE_API_KEY": key} if key else {}))
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def report_at(base_url: str) -> subprocess.CompletedProcess[str]:
    """`report` against a base URL of our choosing, with a key in the environment."""
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--base-url", base_url],
        capture_output=True,
        text=True,
        env=cli_env(VENICE_API_KEY=KEY),
        timeout=30,
    )


def test_json_30d_has_correct_totals_and_30_gap_filled_rows(demo_server: DemoServerProcess) -> None:
    result = report(demo_server, "--json", "--lookback", "30d")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    raw = demo_server.usage("lookback=30d")
    assert len(out["byDate"]) == 30
    assert [r["date"] for r in out["byDate"]] == sorted(r["date"] for r in out["byDate"])
    assert out["byDate"][-1]["date"] == "2026-11-25"
    assert math.isclose(out["totals"]["usd"], sum(r["USD"] for r in raw["byDate"]), abs_tol=1e-6)
    assert math.isclose(out["totals"]["diem"], sum(r["DIEM"] for r in raw["byDate"]), abs_tol=1e-6)
    assert out["period"]["lookback"] == "30d" and out["period"]["days"] == 30
    assert {m["modelName"] for m in out["byModel"]} == {m["modelName"] for m in raw["byModel"]}
    assert any(k["apiKeyId"] is None and k["description"] == "Web App" for k in out["byKey"])
    assert set(out["byModel"][0]) >= {
        "modelName",
        "unitType",
        "modelType",
        "totalUsd",
        "totalDiem",
        "totalUnits",
    }
    assert KEY not in result.stdout + result.stderr


def test_table_is_readable(demo_server: DemoServerProcess) -> None:
    result = report(demo_server, "--lookback", "7d")
    assert result.returncode == 0, result.stderr
    assert "Venice usage · 7d" in result.stdout
    assert "Top models" in result.stdout and "Web App" in result.stdout
    assert "$" in result.stdout


def test_csv_has_the_header_and_one_row_per_day(demo_server: DemoServerProcess) -> None:
    result = report(demo_server, "--csv", "--start", "2026-11-01", "--end", "2026-11-10")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.startswith("date,usd,diem\n")
    assert [r["date"] for r in rows] == [f"2026-11-{d:02d}" for d in range(1, 11)]


@pytest.mark.parametrize(
    "args",
    [
        ["--lookback", "0d"],
        ["--lookback", "1097d"],
        ["--lookback", "week"],
        ["--start", "2026-11-01"],
        ["--end", "2026-11-01"],
        ["--start", "2026-11-10", "--end", "2026-11-01"],
        ["--start", "2022-01-01", "--end", "2026-06-01"],
        ["--start", "2026-02-31", "--end", "2026-03-01"],
        ["--lookback", "7d", "--start", "2026-11-01", "--end", "2026-11-02"],
        ["--json", "--csv"],
    ],
)
def test_bad_periods_exit_2_before_any_request(
    demo_server: DemoServerProcess, args: list[str]
) -> None:
    before = demo_server.stats()["requests"]
    result = report(demo_server, *args)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "error" in result.stderr
    assert "Traceback" not in result.stderr
    assert demo_server.stats()["requests"] == before


def test_plain_http_to_a_remote_host_exits_2() -> None:
    result = report_at("http://example.com/api/v1")
    assert result.returncode == 2 and "refusing plain http://" in result.stderr


def test_no_key_says_how_to_log_in(demo_server: DemoServerProcess) -> None:
    result = report(demo_server, key=None)
    assert result.returncode == 1
    assert "venice-tui auth login" in result.stderr and "VENICE_API_KEY" in result.stderr


@pytest.mark.parametrize(
    ("fault", "needle"),
    [
        ("400", "lookback: Invalid lookback"),
        ("401", "ADMIN key"),
        ("402", "402"),
        ("500", "server error (500)"),
        ("502-html", "HTML error page"),
        ("504", "shorten the period"),
        ("html-200", "HTML page"),
        ("wrong-shape", "unexpected shape"),
        ("truncated", "broke before the response was complete"),
    ],
)
def test_server_faults_exit_1_with_one_clear_line(
    demo_server: DemoServerProcess, fault: str, needle: str
) -> None:
    demo_server.fault(fault)
    result = report(demo_server, "--json")
    assert result.returncode == 1
    assert needle in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert KEY not in result.stderr


def test_offline_prints_the_last_good_data_without_a_request(
    demo_server: DemoServerProcess, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    env = cli_env(
        VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY, VENICE_TUI_CACHE_DIR=str(tmp_path)
    )
    command = [sys.executable, "-m", "venice_tui", "report", "--json", "-l", "5d"]
    missing = subprocess.run(
        [*command, "--offline"], capture_output=True, text=True, env=env, timeout=60
    )
    assert missing.returncode == 1 and "no cached data for 5d" in missing.stderr
    online = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert online.returncode == 0
    before = demo_server.stats()["requests"]
    offline = subprocess.run(
        [*command, "--offline"], capture_output=True, text=True, env=env, timeout=60
    )
    assert offline.returncode == 0 and "offline: cached data fetched" in offline.stderr
    assert json.loads(offline.stdout)["totals"] == json.loads(online.stdout)["totals"]
    assert demo_server.stats()["requests"] == before
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text() and oct(path.stat().st_mode)[-3:] == "600"


def test_503_once_then_success(demo_server: DemoServerProcess) -> None:
    demo_server.fault("503", count=1)
    result = report(demo_server, "--json")
    assert result.returncode == 0, result.stderr


def test_inference_key_gets_the_admin_hint(demo_server: DemoServerProcess) -> None:
    result = report(demo_server, key="inference-key-123456")
    assert result.returncode == 1 and "ADMIN key" in result.stderr


def test_connection_refused_exits_1() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = report_at(f"http://127.0.0.1:{port}/api/v1")
    assert result.returncode == 1
    assert "cannot connect to 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


def test_dns_failure_exits_1() -> None:
    result = report_at("https://no-such-host.invalid/api/v1")
    assert result.returncode == 1
    assert "cannot resolve no-such-host.invalid" in result.stderr


def test_demo_report_needs_no_key_and_no_network() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", "report", "--demo", "--json", "-l", "14d"],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["byDate"]) == 14


USAGE_PATH = "/api/v1/billing/usage-analytics"


def test_a_year_is_fetched_month_by_month_then_mostly_from_the_archive(
    demo_server: DemoServerProcess,
) -> None:
    env = cli_env(VENICE_BASE_URL=demo_server.base_url, VENICE_API_KEY=KEY)

    def year() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "venice_tui", "report", "--json", "-l", "365d"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    def usage_requests() -> int:
        return int(demo_server.stats()["byPath"].get(USAGE_PATH, 0))

    before = usage_requests()
    first = year()
    assert first.returncode == 0, first.stderr
    assert usage_requests() - before == 13  # Nov 26 2025 to Nov 25 2026: 13 calendar months
    out = json.loads(first.stdout)
    assert len(out["byDate"]) == 365 and out["byDate"][0]["date"] == "2025-11-26"
    assert out["period"]["lookback"] == "365d" and out["period"]["days"] == 365
    # Every month asked of the server directly sums to the stitched totals.
    months = [("2025-11-26", "2025-11-30"), ("2025-12-01", "2025-12-31")]
    months += [
        (f"2026-{m:02d}-01", f"2026-{m:02d}-{calendar.monthrange(2026, m)[1]:02d}")
        for m in range(1, 11)
    ]
    months.append(("2026-11-01", "2026-11-25"))
    usd = diem = 0.0
    for start, end in months:
        raw = demo_server.usage(f"startDate={start}&endDate={end}")
        usd += sum(r["USD"] for r in raw["byDate"])
        diem += sum(r["DIEM"] for r in raw["byDate"])
        assert {m["modelName"] for m in raw["byModel"]} <= {m["modelName"] for m in out["byModel"]}
    assert math.isclose(out["totals"]["usd"], usd, abs_tol=1e-4)
    assert math.isclose(out["totals"]["diem"], diem, abs_tol=1e-4)
    assert math.isclose(
        sum(m["totalUsd"] for m in out["byModel"]), out["totals"]["usd"], rel_tol=1e-6
    )
    before = usage_requests()
    second = year()
    assert second.returncode == 0, second.stderr
    assert usage_requests() - before == 1  # only November, which Venice may still revise
    assert "340 of 365 days from the archive" in second.stderr
    assert json.loads(second.stdout)["totals"] == out["totals"]


@pytest.mark.parametrize("form", ["--json", "--csv", None])
def test_output_writes_the_same_report_to_a_file_atomically(
    demo_server: DemoServerProcess, tmp_path: Path, form: str | None
) -> None:
    args = [form] if form else []
    printed = report(demo_server, *args, "-l", "30d")
    target = tmp_path / "spend.out"
    target.write_text("the old report\n")
    written = report(demo_server, *args, "-l", "30d", "--output", str(target))
    assert written.returncode == 0, written.stderr
    assert written.stdout == "" and f"wrote {target}" in written.stderr
    assert target.read_text() == printed.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["spend.out"]  # no temporary file left
    assert KEY not in target.read_text()


def test_output_into_a_missing_folder_is_one_line_and_nothing_else(
    demo_server: DemoServerProcess, tmp_path: Path
) -> None:
    result = report(demo_server, "--json", "-o", str(tmp_path / "nowhere" / "spend.json"))
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "No such file" in lines[0]
    assert list(tmp_path.iterdir()) == []
