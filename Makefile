# Servio: `make run` serves the app, `make test` runs every check. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test bench screens lint typecheck pytest coverage sysdeps venv node lock clean-db help mo messages

help:
	@echo "make run [PORT=8000]  set up and serve Servio with demo data"
	@echo "make test             set up and run lint, type check and the whole test suite"
	@echo "make coverage         the test suite measuring coverage against its floor"
	@echo "make bench            run the benchmarks in tests/perf (prints figures)"
	@echo "make screens          take the screenshots in docs/screens/ again"
	@echo "make messages         extract the message ids again and update the catalogues"

venv: $(STAMP)

# Installed with their bytecode: where PYTHONDONTWRITEBYTECODE is set (as on our machines) no
# process writes any, and each one (pytest, every `servio` a test starts) compiled every
# library it imports again, about 4 s of CPU per process.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $@

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

# Front-end packages (Leaflet, ESLint) from the npm registry as pinned in package-lock.json;
# node and npm come from Debian when missing. The app serves Leaflet from node_modules.
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "installing: nodejs npm"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Translations (gettext through Babel): server/locale/<lang>/LC_MESSAGES/<domain>.po are the
# sources, the .mo files beside them build output (ignored by git; the server reads a .po
# itself while its .mo is missing or older). Domains: messages (server/: Python and templates),
# field (the field app's scripts), board (the dispatch board's). `make messages` extracts the
# message ids again as babel.cfg says and merges them into the catalogues: translate the new
# entries (empty msgstr) and review the fuzzy ones, which tests/server/test_i18n.py refuses.
LOCALE := server/locale
DOMAINS := messages field board
MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/*.po))
POT_OPTIONS := --no-wrap --sort-output --add-location=file --project=Servio

mo: $(MO)

$(LOCALE)/%.mo: $(LOCALE)/%.po | $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

messages: venv
	$(BIN)/pybabel -q extract -F babel.cfg $(POT_OPTIONS) -o $(LOCALE)/messages.pot server
	$(BIN)/pybabel -q extract -F babel.cfg $(POT_OPTIONS) -o $(LOCALE)/field.pot pwa/field
	$(BIN)/pybabel -q extract -F babel.cfg $(POT_OPTIONS) -o $(LOCALE)/board.pot $(wildcard pwa/js/board*.js)
	for domain in $(DOMAINS); do \
	  $(BIN)/pybabel -q update -D $$domain -i $(LOCALE)/$$domain.pot -d $(LOCALE) -l ru \
	    --no-wrap --ignore-obsolete --ignore-pot-creation-date --init-missing || exit 1; \
	done

run: venv node mo
	$(BIN)/servio serve --host $(HOST) --port $(PORT) --setup

# Debian packages the tests need: Chromium for browser tests, fonts for PDFs, poppler for pdftoppm.
sysdeps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "DejaVu Sans" || missing="$$missing fonts-dejavu-core"; \
	fc-list 2>/dev/null | grep -qi "Liberation" || missing="$$missing fonts-liberation2"; \
	ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: venv node
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	node_modules/.bin/eslint --max-warnings 0 .

typecheck: venv
	$(BIN)/mypy server routing printforms fixtures

# PYTEST_WORKERS test processes (pytest-xdist) run at once, each with its own database and
# ports (tests/database.py, tests/ports.py); `worksteal` hands each worker a run of neighbouring
# tests, so a module's server or browser mostly starts once. Our own modules are compiled first,
# for the same reason as the libraries above. `make coverage` runs the same suite measuring
# coverage of the server and the libraries against the floor in pyproject.toml (which only goes
# up); `make test` leaves it out: tracing made the suite 40 % slower (26:41 against 18:54 on
# 2 cores), too close to the 30 minutes CI has.
PYTEST_WORKERS ?= 2
pytest: venv node sysdeps mo
	@$(BIN)/python -m compileall -q server routing printforms fixtures tests >/dev/null
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint typecheck pytest

coverage: venv node sysdeps mo
	@$(BIN)/python -m compileall -q server routing printforms fixtures tests >/dev/null
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

bench: venv sysdeps
	$(BIN)/python -m tests.perf $(BENCH_ARGS)

# The orders list, an order card and the intake form at 1366 and 820 px, on a fresh demo.
screens: venv node sysdeps
	SERVIO_TEST_DATABASE=servio_screens $(BIN)/python -m tests.pwa.screens
