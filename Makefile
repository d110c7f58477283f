# smartspec — two commands: `make run` and `make test`.
# Both create .venv on first use (Python 3.11+ as `python3`, or set PYTHON=...).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck unit install install-dev docs-cli data clean

run: $(VENV)/.installed  ## set up, load the bundled data and serve the web app
	$(BIN)/smartspec setup
	$(BIN)/smartspec serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev  ## set up with dev extras; lint, type check, whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev  ## tests without the browser
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "smartspec needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

docs-cli: $(VENV)/.installed  ## regenerate docs/cli.md from --help
	$(BIN)/python scripts/gen_cli_docs.py > docs/cli.md

data: $(VENV)/.installed-dev  ## rebuild bundled data from ../shared/data (developers only)
	$(BIN)/python scripts/build_data/build_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
