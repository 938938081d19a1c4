"""`venice-tui metrics` as a subprocess against the loopback demo-server: the served endpoint
under a scrape storm, the textfile, bad options, and the files in examples/ checked by
promtool and scraped by a real Prometheus when `.ci/run` could fetch them (else parsed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import DemoServerProcess, cli_env

pytestmark = pytest.mark.e2e
KEY = "sk-admin-metrics-0123456789SECRET"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
USAGE = "/api/v1/billing/usage-analytics"


def tool(name: str) -> str | None:
    local = ROOT / ".tools" / "bin" / name
    return str(local) if local.exists() else shutil.which(name)


def run(server_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "venice_tui", *args],
        capture_output=True,
        text=True,
        env=cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=server_url),
        timeout=60,
    )


def family_names(text: str) -> set[str]:
    names = set()
    for family in text_string_to_metric_families(text):
        names.update(sample.name for sample in family.samples)
    return names


class Exporter:
    def __init__(self, server: DemoServerProcess, *args: str, host: str = "127.0.0.1") -> None:
        env = cli_env(VENICE_API_KEY=KEY, VENICE_BASE_URL=server.base_url)
        config = Path(env["VENICE_TUI_CONFIG_DIR"])
        config.mkdir(parents=True)
        (config / "config.toml").write_text("[budget.default]\nmonthly_usd = 300\n")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "venice_tui", "metrics", "--listen", f"{host}:0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stderr is not None
        #: What stderr said before the line that names the URL (warnings).
        self.before: list[str] = []
        line = self.process.stderr.readline()
        while line and "serving metrics on" not in line:
            self.before.append(line.rstrip("\n"))
            line = self.process.stderr.readline()
        match = re.search(rf"http://{re.escape(host)}:(\d+)/metrics", line)
        assert match, (self.before, line)
        self.port = int(match.group(1))
        self.url = f"http://{host}:{self.port}/metrics"

    def scrape(self) -> str:
        with urllib.request.urlopen(self.url, timeout=30) as response:
            return str(response.read().decode())

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=20)
        return self.process.returncode, err


@pytest.fixture
def exporter(demo_server: DemoServerProcess) -> Iterator[Exporter]:
    running = Exporter(demo_server, "--min-interval", "60")
    yield running
    if running.process.poll() is None:
        running.stop()


def test_a_scrape_storm_costs_one_request_per_endpoint(
    demo_server: DemoServerProcess, exporter: Exporter
) -> None:
    bodies = [exporter.scrape() for _ in range(100)]
    by_path = demo_server.stats()["byPath"]
    assert by_path[USAGE] == 1 and max(by_path.values()) == 1, by_path
    last = bodies[-1]
    assert 'venice_spend_usd{window="month"}' in last and "venice_up 1.0" in last
    assert {"venice_balance_usd", "venice_key_limit_used_ratio"} <= family_names(last)
    assert 'venice_budget_usd{window="month"} 300.0' in last
    assert KEY not in "".join(bodies)
    code, err = exporter.stop()
    assert code == 0 and "Traceback" not in err and KEY not in err


def test_the_exposition_passes_promtools_lint(exporter: Exporter) -> None:
    promtool = tool("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (.ci/run fetches it)")
    body = exporter.scrape()
    result = subprocess.run(
        [promtool, "check", "metrics"], input=body, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_textfile_is_written_atomically_readable_and_without_the_key(
    demo_server: DemoServerProcess, tmp_path: Path
) -> None:
    target = tmp_path / "venice.prom"
    result = run(demo_server.base_url, "metrics", "--textfile", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert "venice_spend_usd" in family_names(text) and KEY not in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["venice.prom"]


def test_textfile_when_venice_is_down_keeps_the_old_file_and_says_why(
    demo_server: DemoServerProcess, tmp_path: Path
) -> None:
    target = tmp_path / "venice.prom"
    target.write_text("old\n")
    demo_server.fault("500")
    result = run(demo_server.base_url, "metrics", "--textfile", str(target))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("venice-tui: nothing written:"), lines
    assert target.read_text() == "old\n"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--min-interval", "30"), "--min-interval must be at least 60 seconds"),
        (("--listen", "nowhere"), "is not HOST:PORT"),
        (("--listen", "127.0.0.1:99999"), "is not HOST:PORT"),
        (
            ("--listen", "0.0.0.0:9464"),
            "--listen 0.0.0.0:9464 is not loopback: anyone who reaches it could scrape this "
            "account's spend, balance and key names; add --expose to mean it",
        ),
    ],
)
def test_bad_options_are_one_line_before_any_request(
    demo_server: DemoServerProcess, args: tuple[str, ...], needle: str
) -> None:
    result = run(demo_server.base_url, "metrics", *args)
    assert result.returncode == 2 and needle in result.stderr
    assert "Traceback" not in result.stderr
    assert demo_server.stats()["byPath"] == {}


def test_the_examples_refer_to_metrics_the_exporter_serves(exporter: Exporter) -> None:
    served = family_names(exporter.scrape())
    rules = yaml.safe_load((EXAMPLES / "venice-alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((EXAMPLES / "grafana-dashboard.json").read_text())
    exprs += [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
    used = {name for expr in exprs for name in re.findall(r"\bvenice_[a-z_]+", expr)}
    assert used and used <= served, used - served
    config = yaml.safe_load((EXAMPLES / "prometheus.yml").read_text())
    assert config["scrape_configs"][0]["static_configs"][0]["targets"] == ["127.0.0.1:9464"]
    assert config["rule_files"] == ["venice-alerts.yml"]


def test_promtool_checks_the_example_config_and_the_rules_fire_as_documented() -> None:
    promtool = tool("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (.ci/run fetches it)")
    for args in (
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "venice-alerts.yml"],
        ["test", "rules", "venice-alerts.test.yml"],
    ):
        result = subprocess.run(
            [promtool, *args], cwd=EXAMPLES, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_real_prometheus_configured_from_examples_scrapes_the_exporter(
    exporter: Exporter, tmp_path: Path
) -> None:
    prometheus = tool("prometheus")
    if prometheus is None:
        pytest.skip("prometheus is not installed (.ci/run fetches it)")
    config = yaml.safe_load((EXAMPLES / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(EXAMPLES / "venice-alerts.yml")]
    config["scrape_configs"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{exporter.port}"]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    server = subprocess.Popen(
        [
            prometheus,
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    try:
        result = wait_for_query(port, 'venice_spend_usd{window="month"}', server)
        assert float(result["value"][1]) > 0 and result["metric"]["job"] == "venice"
        rules = api(port, "rules")["groups"][0]["rules"]
        assert {rule["name"] for rule in rules} == {
            "VeniceMonthlyBudgetReached",
            "VeniceKeyAtItsLimit",
        }
        assert all(rule["health"] in ("ok", "unknown") for rule in rules), rules
    finally:
        server.terminate()
        server.wait(timeout=20)


def api(port: int, path: str) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/{path}", timeout=10) as reply:
        body: dict[str, dict[str, object]] = json.loads(reply.read())
    return body["data"]


def wait_for_query(port: int, query: str, server: subprocess.Popen[bytes]) -> dict[str, object]:
    """Poll Prometheus until it has scraped the series (it scrapes every second here); the
    deadline only bounds a broken run."""
    path = "query?query=" + urllib.request.quote(query)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "prometheus exited"
        try:
            found = api(port, path)["result"]
        except OSError:
            found = []
        if isinstance(found, list) and found:
            return dict(found[0])
        time.sleep(0.2)
    raise AssertionError(f"Prometheus never had {query}")


def test_a_failed_fetch_is_one_line_on_stderr_and_venice_up_0(
    demo_server: DemoServerProcess,
) -> None:
    demo_server.fault("401")
    running = Exporter(demo_server)
    try:
        body = running.scrape()  # waits for the first fetch, which fails
        assert "venice_up 0.0" in body and "venice_spend_usd" not in body
    finally:
        code, err = running.stop()
    assert code == 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("venice-tui: fetch failed: ") and "ADMIN" in lines[0]
    assert lines[0].endswith("(no values to serve yet)") and KEY not in err


def test_on_loopback_a_request_for_another_host_name_is_refused(exporter: Exporter) -> None:
    request = urllib.request.Request(
        exporter.url, headers={"Host": f"rebound.example:{exporter.port}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    for name in ("localhost", "127.0.0.1"):
        request = urllib.request.Request(exporter.url, headers={"Host": f"{name}:{exporter.port}"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 200


def test_listening_on_another_loopback_address_answers_its_own_url(
    demo_server: DemoServerProcess,
) -> None:
    running = Exporter(demo_server, host="127.0.0.2")
    try:
        assert "venice_up" in running.scrape()  # Host: 127.0.0.2:PORT, as Prometheus sends it
    finally:
        code, err = running.stop()
    assert code == 0 and "Traceback" not in err


def test_an_exposed_listener_warns_in_one_line_and_answers_any_host_name(
    demo_server: DemoServerProcess,
) -> None:
    running = Exporter(demo_server, "--expose", host="0.0.0.0")
    try:
        assert running.before == [
            "venice-tui: warning: exposing the metrics of profile default on 0.0.0.0:0 to "
            "anyone who can reach it (spend, balance, key names and limits); every Host name "
            "is answered, no login protects it"
        ]
        request = urllib.request.Request(
            f"http://127.0.0.1:{running.port}/metrics",
            headers={"Host": f"metrics.example:{running.port}"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 200
    finally:
        running.stop()


def test_the_demo_exports_the_budgets_its_check_weighs(tmp_path: Path) -> None:
    """One function decides budgets: `--demo metrics` and `--demo check --json` agree."""
    env = cli_env()
    target = tmp_path / "demo.prom"
    written = subprocess.run(
        [sys.executable, "-m", "venice_tui", "--demo", "metrics", "--textfile", str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert written.returncode == 0, written.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "venice_tui", "--demo", "check", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    month = json.loads(checked.stdout)["month"]
    assert month["budgetUsd"] is not None
    body = target.read_text()
    assert f'venice_budget_usd{{window="month"}} {float(month["budgetUsd"])}' in body
    assert f'venice_budget_usd{{window="day"}} {float(month["dailyBudgetUsd"])}' in body
