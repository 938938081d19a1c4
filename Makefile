# Every target creates .venv itself, so a fresh clone needs only Python 3.11+ and make.
# .venv holds exactly what uv.lock pins (the app and the dev tools); uv itself comes from PyPI
# at a pinned version into .tools/uv, and never downloads a Python (the one given as PYTHON runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: demo test test-lowest lock lock-check outdated lint format bench bench-peers soak fuzz screenshots clean

$(UV):
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --quiet
	touch $(STAMP)

# Refreshes uv.lock on purpose: the newest versions pyproject.toml's ranges allow.
lock: | $(UV)
	$(UV) lock --upgrade

# Fails when pyproject.toml and uv.lock disagree (CI runs it).
lock-check: | $(UV)
	$(UV) lock --check

# What newer versions exist than the lock holds: updating is a decision (`make lock`).
outdated: $(STAMP)
	$(UV) pip list --outdated --python $(BIN)/python

# The suite on the lowest versions pyproject.toml allows for every direct dependency, in a
# venv of its own: the floors are versions the suite has passed on.
test-lowest: | $(UV)
	$(UV) pip compile pyproject.toml --extra dev --resolution lowest-direct --quiet \
		--python-version 3.11 -o .tools/lowest.txt
	$(UV) venv --quiet --allow-existing .tools/lowest
	$(UV) pip sync --quiet --python .tools/lowest/bin/python .tools/lowest.txt
	$(UV) pip install --quiet --no-deps --python .tools/lowest/bin/python -e .
	.tools/lowest/bin/python -m pytest -n 2 -q -p no:cacheprovider

demo: $(STAMP)
	$(BIN)/venice-tui --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check venice_tui tests benchmarks
	$(BIN)/ruff format --check venice_tui tests benchmarks
	$(BIN)/mypy --strict venice_tui
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format venice_tui tests benchmarks
	$(BIN)/ruff check --fix venice_tui tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Optional, not in CI: a peer's first paint (frogmouth, pinned, in a throwaway venv under
# .tools/peers) beside the bare app and ours.
bench-peers: $(STAMP)
	$(BIN)/python -m benchmarks.peers

soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak --minutes 30

fuzz: $(STAMP)
	VENICE_TUI_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_decoder_fuzz.py --hypothesis-show-statistics

screenshots: $(STAMP)
	$(BIN)/python -m tests.harness screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
