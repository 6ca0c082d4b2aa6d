# Two commands: `make run` starts the bot, `make test` runs the whole test suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# The exact versions (with their hashes) the tests ran with; `make lock` refreshes them.
LOCK_RUNTIME := requirements/runtime.txt
LOCK_TEST := requirements/test.txt
# `make lock UPGRADE=--upgrade` moves every package to its newest allowed version; without it
# the versions already locked stay and only new or changed dependencies are resolved.
UPGRADE ?=
COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(UPGRADE)

.PHONY: run test lint typecheck lock messages bench

run: $(VENV)/.installed
	$(BIN)/python -m bot

test:
	bash scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# After changing the dependencies in pyproject.toml: resolve them again from PyPI and write
# both lock files (the bot's, for Docker and `make run`; and the bot's plus the tests').
lock: $(VENV)/.installed-uv
	$(COMPILE) -o $(LOCK_RUNTIME)
	$(COMPILE) --extra test -o $(LOCK_TEST)

# Benchmarks: each prints its figures; bench/RESULTS.md keeps those measured so far.
bench: $(VENV)/.installed-test
	for b in bench/bench_*.py; do $(BIN)/python -m bench.$$(basename $$b .py) || exit 1; done

# After changing user-facing strings: refresh the template and both catalogs, then translate
# the new empty entries in locales/ky and locales/ru (tests fail until every one is filled).
messages: $(VENV)/.installed-test
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/messages.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(LOCK_RUNTIME) pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK_RUNTIME)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK_TEST)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

$(VENV)/.installed-uv: | $(VENV)/bin/python
	$(BIN)/pip install --quiet "uv>=0.5"
	touch $@
