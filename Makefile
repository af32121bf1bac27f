# aftersales: `make demo` and `make test` work on a fresh machine with Python >= 3.10 and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help install demo test test-core test-odoo lint bench bench-odoo bench-odoo-load docs clean

help:
	@echo "make demo   - set up .venv and run the after-sales demo on the embedded SQLite host"
	@echo "make test   - lint, core tests (pytest + hypothesis), and the Odoo module tests if Odoo is found"
	@echo "make lint   - ruff, mypy --strict, import-linter (the core never imports odoo; its layers)"
	@echo "make bench  - core benchmarks; make bench-odoo - the Odoo benchmark (needs Odoo)"
	@echo "make bench-odoo-load - Odoo load benchmark: --workers=4, 8 JSON-RPC clients x 250 cycles"
	@echo "             (LOAD_CLIENTS, LOAD_CYCLES, LOAD_WORKERS set the size; needs Odoo)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,cli]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/aftersales demo --db aftersales-demo/demo.db --out aftersales-demo

lint: $(STAMP)
	$(VENV)/bin/ruff check aftersales_core tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test-core: $(STAMP)
	$(PY) -m pytest -n auto --cov --cov-report=term:skip-covered --cov-fail-under=90

test-odoo: $(STAMP)
	@bash tools/run-odoo-tests.sh

test: lint test-core test-odoo

bench: $(STAMP)
	$(PY) benchmarks/bench_route_return.py
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_pareto.py

bench-odoo:
	@bash tools/run-odoo-bench.sh

bench-odoo-load:
	@bash tools/run-odoo-load.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage aftersales-demo
