# Every target creates .venv itself, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format bench soak fuzz screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

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

soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak --minutes 30

fuzz: $(STAMP)
	VENICE_TUI_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_decoder_fuzz.py --hypothesis-show-statistics

screenshots: $(STAMP)
	$(BIN)/python -m tests.harness screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
