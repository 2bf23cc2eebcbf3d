# Set-up is part of every target: a fresh clone needs only `make run` or `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEED := samples/000_a81f0d4f916600c6.txt

.PHONY: run test lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Validate the seed report: findings are the product, so exit 1 (findings) still succeeds.
run: $(STAMP)
	@mkdir -p out
	$(BIN)/validate $(SEED) --html-report out/seed-report.html || [ $$? -eq 1 ]

# System packages some tests use (headless Chromium and CJK fonts for the HTML report test).
# Installed only where apt-get can run as root; elsewhere those tests say why they skip.
system-deps:
	@bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check validator tests benchmarks

# The benchmark measures the tool as users install it: a fresh non-editable `pip install .` (byte-compiled,
# no test extras) in its own environment.
BENCH_VENV := .venv-bench
bench: $(STAMP)
	rm -rf $(BENCH_VENV)
	$(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q .
	$(BENCH_VENV)/bin/python benchmarks/bench.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) out test-artifacts .pytest_cache
