# aftersales: `make demo` and `make test` work on a fresh machine with Python >= 3.10 and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help install demo test test-core test-odoo lint lint-odoo readme wheels bench bench-odoo bench-odoo-load docs clean

help:
	@echo "make demo   - set up .venv and run the after-sales demo on the embedded SQLite host"
	@echo "make test   - lint, core tests (pytest + hypothesis), and the Odoo module tests if Odoo is found"
	@echo "make lint   - ruff, mypy --strict, import-linter (the core never imports odoo; its layers),"
	@echo "              then lint-odoo: the addon like OCA (pylint-odoo, oca-checks-odoo-module, ruff, README, manifestoo)"
	@echo "make readme - regenerate the addon's README.rst from its readme/ fragments (oca-gen-addon-readme)"
	@echo "make wheels - build the core's wheel and the addon's (whool) into dist/"
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
	$(VENV)/bin/ruff check aftersales_core tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	@$(MAKE) --no-print-directory lint-odoo

# The Odoo addon, checked like an OCA addon (none of these needs Odoo installed); the same
# programs as .pre-commit-config.yaml, run from .venv without git hooks.
ADDON := odoo_addon_aftersales
lint-odoo: $(STAMP)
	$(VENV)/bin/pylint --rcfile=.pylintrc-mandatory $(ADDON)
	$(VENV)/bin/pylint --rcfile=.pylintrc $(ADDON)
	$(VENV)/bin/oca-checks-odoo-module $(ADDON)
	@po="$$(find $(ADDON) -name '*.po' -o -name '*.pot')"; \
	  if [ -n "$$po" ]; then echo "oca-checks-po"; $(VENV)/bin/oca-checks-po --disable=po-pretty-format $$po; fi
	$(VENV)/bin/ruff check --no-fix --config .ruff-odoo.toml $(ADDON)
	$(PY) tools/check_addon_readme.py $(ADDON)
	$(PY) tools/check_addon_depends.py $(ADDON)

# OCA's readme generator is not on PyPI: it is installed from OCA/maintainer-tools
# (MAINTAINER_TOOLS, a pip requirement: the git URL, or a local clone) into .venv-readme,
# and converts the Markdown fragments with pandoc (apt-get install pandoc).
MAINTAINER_TOOLS ?= git+https://github.com/OCA/maintainer-tools.git
readme:
	@test -x .venv-readme/bin/oca-gen-addon-readme || \
	  { $(PYTHON) -m venv .venv-readme && .venv-readme/bin/pip install --quiet "$(MAINTAINER_TOOLS)"; }
	.venv-readme/bin/oca-gen-addon-readme --addon-dir=$(ADDON) --org-name=aftersales \
	  --repo-name=aftersales --branch=18.0 --if-source-changed
	$(PY) tools/check_addon_readme.py $(ADDON)

# The core's wheel (setuptools, pyproject.toml) and the addon's (whool,
# odoo_addon_aftersales/pyproject.toml; whool reads the files git tracks).
wheels: $(STAMP)
	rm -rf dist
	$(PY) -m build --wheel --no-isolation --outdir dist .
	$(PY) -m build --wheel --no-isolation --outdir dist $(ADDON)
	@ls dist

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
	rm -rf $(VENV) .venv-readme dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage aftersales-demo
