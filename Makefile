# Townsquare: `make run` serves the app with demo data; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/townsquare

.PHONY: install run test test-postgres lint format bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(INSTALLED)

run: install
	$(BIN)/townsquare up

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	TOWNSQUARE_TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy src

format: install
	$(BIN)/ruff check --fix src bench
	$(BIN)/ruff format src bench

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/townsquare.sqlite3* var/outbox
