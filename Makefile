# Two commands: `make run` starts the bot, `make test` runs the whole test suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test lint messages bench

run: $(VENV)/.installed
	$(BIN)/python -m bot

test:
	bash scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# After changing user-facing strings: refresh the template and both catalogs, then translate
# the new empty entries in locales/ky and locales/ru (tests fail until every one is filled).
messages: $(VENV)/.installed-test
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/messages.sh

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed
