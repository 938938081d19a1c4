"""Every command over several profiles, as a subprocess against the loopback demo server: each
profile logged in with its own key (the server answers the demo fleet's three accounts by key),
`report`, `check`, `statusline` and `metrics` with `--all-profiles` and `--profiles a,b`; one
profile's server down and one profile's key refused while the others answer; an unknown name
refused before any request."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
#: The budgets the demo fleet has with `--demo` (`demo.connection.FLEET_MEMBERS`).
BUDGETS = {"demo-work": 350, "demo-client": 600, "demo-staging": 50}
KEYS = {
    "demo-work": "sk-demo-work-admin-0123456789",
    "demo-client": "sk-demo-client-admin-0123456789",
    "demo-staging": "sk-demo-staging-admin-0123456789",
}
#: An INFERENCE key: Venice refuses it billing (401).
REFUSED_KEY = "inference-key-of-another-0123456789"


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    for key in (*KEYS.values(), REFUSED_KEY):
        assert key not in result.stdout + result.stderr
    return result


def login(env: dict[str, str], profile: str, key: str, base_url: str) -> None:
    done = run(
        env,
        "auth",
        "login",
        "--insecure-storage",
        "--profile",
        profile,
        "--base-url",
        base_url,
        stdin=key + "\n",
    )
    assert done.returncode == 0, done.stderr


def fleet(server: DemoServerProcess, profiles: dict[str, str | None]) -> dict[str, str]:
    """An environment with each profile logged in and on its own server (`[profile.NAME]
    base_url`; None: the demo server)."""
    env = cli_env()
    config = Path(env["VENICE_TUI_CONFIG_DIR"])
    lines = []
    for profile, base_url in profiles.items():
        key = KEYS.get(profile, REFUSED_KEY)
        login(env, profile, key, server.base_url if key != REFUSED_KEY else dead_url())
        lines.append(f'[profile.{profile}]\nbase_url = "{base_url or server.base_url}"\n')
        if profile in BUDGETS:
            lines.append(f"[budget.{profile}]\nmonthly_usd = {BUDGETS[profile]}\n")
    config.mkdir(parents=True, exist_ok=True)
    with (config / "config.toml").open("a") as file:
        file.write("\n".join(lines))
    return env


def dead_url() -> str:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"


@pytest.fixture
def three(demo_server: DemoServerProcess) -> dict[str, str]:
    return fleet(demo_server, dict.fromkeys(KEYS))


def test_report_json_over_three_profiles_is_each_ones_own_report_worst_first(
    three: dict[str, str],
) -> None:
    result = run(three, "report", "--all-profiles", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["profile"] for r in rows] == ["demo-client", "demo-work", "demo-staging"]
    assert [r["account"]["status"] for r in rows] in (
        ["key at limit", "forecast", "ok"],
        ["key at limit", "warning", "ok"],  # late in a month demo-work is near its budget
    )
    for row in rows:
        alone = run(three, "report", "--json", "--profile", row["profile"])
        own = json.loads(alone.stdout)
        assert set(row) == {"profile", "account", *own}
        assert row["totals"] == own["totals"] and row["balance"] == own["balance"]
    assert rows[0]["account"]["alert"].startswith("Client chatbot is at its Venice limit")
    assert rows[0]["account"]["key"] == "••••6789"
    assert rows[2]["account"]["monthUsd"] == 0.0 and rows[2]["account"]["monthDiem"] > 0


def test_check_over_three_profiles_is_one_line_each_and_the_worst_exit_code(
    three: dict[str, str],
) -> None:
    result = run(three, "check", "--all-profiles")
    assert result.returncode == 4, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("demo-client: over: Client chatbot is at its Venice limit")
    assert lines[1].startswith("demo-work: ok: ") and lines[1].endswith("; forecast near budget")
    assert lines[2].startswith("demo-staging: ok: $0.00 of $50.00 this month (0%)")
    as_json = json.loads(run(three, "check", "--all-profiles", "--json").stdout)
    alone = json.loads(run(three, "check", "--json", "--profile", "demo-work").stdout)
    work = next(r for r in as_json if r["profile"] == "demo-work")
    assert work == {"profile": "demo-work", **alone}
    # demo-work: 0 while only its forecast is past its budget line, 3 once spent is near it.
    assert [r["exitCode"] for r in as_json] == [4, alone["exitCode"], 0]


def test_two_profiles_picked_by_name_csv_and_exit_code(three: dict[str, str]) -> None:
    picked = run(three, "check", "--profiles", "demo-staging,demo-work")
    alone = run(three, "check", "--profile", "demo-work")
    assert picked.returncode == alone.returncode, picked.stderr
    assert [line.split(":")[0] for line in picked.stdout.splitlines()] == [
        "demo-work",
        "demo-staging",
    ]
    csv = run(three, "report", "--profiles", "demo-work,demo-client", "--csv")
    header, *rows = csv.stdout.splitlines()
    assert header.startswith("profile,key,status,period_start,period_end,period_usd,")
    assert [r.split(",")[:3] for r in rows] == [
        ["demo-client", "••••6789", "key at limit"],
        ["demo-work", "••••6789", rows[1].split(",")[2]],
    ]
    assert rows[1].split(",")[2] in ("forecast", "warning")


def test_statusline_over_all_profiles_puts_the_worst_account_first(
    three: dict[str, str],
) -> None:
    assert run(three, "check", "--all-profiles").returncode == 4  # keeps each one's summary
    line = run(three, "statusline", "--all-profiles", "--timeout", "1")
    assert line.returncode == 0, line.stderr
    assert line.stdout.startswith("demo-client (key at limit) $129.71/$600.00 (21%) · demo-work")
    assert "demo-staging $0.00/$50.00 (0%)" in line.stdout


def samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]


def test_one_profile_down_and_one_key_refused_never_blank_the_others(
    demo_server: DemoServerProcess, tmp_path: Path
) -> None:
    env = fleet(
        demo_server,
        {"demo-work": None, "demo-staging": dead_url(), "refused": None},
    )
    checked = run(env, "--timeout", "5", "check", "--all-profiles")
    # demo-work alone exits 0, or 3 late in a month (near its budget): a warning outranks a
    # failure, which outranks ok.
    work = run(env, "check", "--profile", "demo-work").returncode
    assert checked.returncode == (3 if work == 3 else 1), checked.stderr
    lines = dict(line.split(": ", 1) for line in checked.stdout.splitlines())
    assert lines["demo-work"].startswith("ok: " if work == 0 else "warning: ")
    assert lines["demo-staging"].startswith("failed: ")
    assert lines["refused"].startswith("failed: ")
    assert "`venice-tui auth login --profile refused`" in lines["refused"]
    report = json.loads(run(env, "--timeout", "5", "report", "--all-profiles", "--json").stdout)
    by_name = {r["profile"]: r for r in report}
    assert by_name["demo-work"]["totals"]["usd"] > 0
    assert by_name["refused"]["error"] and "totals" not in by_name["refused"]
    assert by_name["demo-staging"]["account"]["status"] == "failed"
    prom = tmp_path / "venice.prom"
    written = run(env, "--timeout", "5", "metrics", "--all-profiles", "--textfile", str(prom))
    assert written.returncode == 0, written.stderr
    got = samples(prom.read_text())
    assert all("profile" in labels for _, labels, _ in got)
    up = {labels["profile"]: value for name, labels, value in got if name == "venice_up"}
    assert up == {"demo-work": 1.0, "demo-staging": 0.0, "refused": 0.0}
    spent = {
        labels["profile"]
        for name, labels, _ in got
        if name == "venice_spend_usd" and labels["window"] == "month"
    }
    assert spent == {"demo-work"}
    assert "profile demo-staging: fetch failed" in written.stderr or "demo-staging" in (
        written.stderr
    )


def test_metrics_labels_every_series_with_its_profile_and_keeps_each_ones_values(
    three: dict[str, str], tmp_path: Path
) -> None:
    prom = tmp_path / "venice.prom"
    picked = run(three, "metrics", "--profiles", "demo-work,demo-client", "--textfile", str(prom))
    assert picked.returncode == 0, picked.stderr
    got = samples(prom.read_text())
    assert {labels["profile"] for _, labels, _ in got} == {"demo-work", "demo-client"}
    age = {labels["profile"] for n, labels, _ in got if n == "venice_data_age_seconds"}
    assert age == {"demo-work", "demo-client"}
    limit = [
        (labels["profile"], labels["key"], value)
        for n, labels, value in got
        if n == "venice_key_limit_used_ratio" and value >= 1
    ]
    assert limit == [("demo-client", "Client chatbot", 1.0)]
    alone = tmp_path / "work.prom"
    assert run(three, "metrics", "--profile", "demo-work", "--textfile", str(alone)).returncode == 0
    one = {(n, tuple(sorted(lab.items()))): v for n, lab, v in samples(alone.read_text())}
    for name, labels, value in got:
        if labels.get("profile") == "demo-work" and name.startswith("venice_spend"):
            rest = {k: v for k, v in labels.items() if k != "profile"}
            assert one[(name, tuple(sorted(rest.items())))] == value


def test_an_unknown_profile_is_refused_before_any_request(
    three: dict[str, str], demo_server: DemoServerProcess
) -> None:
    before = demo_server.stats()["requests"]
    for command in ("check", "report", "metrics"):
        refused = run(three, command, "--profiles", "demo-work,nope")
        assert refused.returncode == 2
        assert refused.stderr.strip() == (
            f"venice-tui {command}: error: unknown profile nope; known: default, demo-client, "
            "demo-staging, demo-work (add one with `venice-tui auth login --profile NAME`)"
        )
    line = run(three, "statusline", "--profiles", "nope")
    assert line.returncode == 2 and "unknown profile nope" in line.stderr
    assert demo_server.stats()["requests"] == before


def test_a_key_in_the_environment_would_be_every_profiles_key_and_is_refused(
    three: dict[str, str],
) -> None:
    env = {**three, "VENICE_API_KEY": KEYS["demo-work"]}
    refused = run(env, "check", "--all-profiles")
    assert refused.returncode == 2
    assert "VENICE_API_KEY is set: it would be every profile's key" in refused.stderr


def test_demo_fleet_over_all_profiles_needs_no_key() -> None:
    env = cli_env()
    result = run(env, "report", "--demo", "--all-profiles", "--json")
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    assert [r["profile"] for r in rows] == ["demo-client", "demo-work", "demo-staging"]
    assert run(env, "check", "--demo", "--all-profiles").returncode == 4


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_examples_by_profile_use_series_the_exporter_serves_with_a_profile_label(
    tmp_path: Path,
) -> None:
    import re

    import yaml

    prom = tmp_path / "fleet.prom"
    assert (
        run(cli_env(), "metrics", "--demo", "--all-profiles", "--textfile", str(prom)).returncode
        == 0
    )
    served = {name for name, labels, _ in samples(prom.read_text()) if "profile" in labels}
    rules = yaml.safe_load((EXAMPLES / "venice-accounts-alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    descriptions = [r["annotations"]["summary"] for g in rules["groups"] for r in g["rules"]]
    assert all("$labels.profile" in text for text in descriptions)
    dashboard = json.loads((EXAMPLES / "grafana-accounts.json").read_text())
    exprs += [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
    used = {name for expr in exprs for name in re.findall(r"\bvenice_[a-z_]+", expr)}
    assert used and used <= served, used - served


def test_promtool_checks_the_rules_by_profile_and_they_fire_as_documented() -> None:
    import shutil

    local = EXAMPLES.parent / ".tools" / "bin" / "promtool"
    promtool = str(local) if local.exists() else shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (.ci/run fetches it)")
    for args in (
        ["check", "rules", "venice-accounts-alerts.yml"],
        ["test", "rules", "venice-accounts-alerts.test.yml"],
    ):
        result = subprocess.run(
            [promtool, *args], cwd=EXAMPLES, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_exposition_over_profiles_passes_promtools_lint(tmp_path: Path) -> None:
    import shutil

    local = EXAMPLES.parent / ".tools" / "bin" / "promtool"
    promtool = str(local) if local.exists() else shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (.ci/run fetches it)")
    prom = tmp_path / "fleet.prom"
    assert (
        run(cli_env(), "metrics", "--demo", "--all-profiles", "--textfile", str(prom)).returncode
        == 0
    )
    result = subprocess.run(
        [promtool, "check", "metrics"],
        input=prom.read_text(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
