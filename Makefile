# Tandem: `make run` serves the demo programme, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint venv venv-test browser clean messages bench bench-concurrency sbom load load-ramp faults

PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

# Serving needs requirements.txt alone; the test, lint, security and load tool chains install with the
# targets that use them.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/.installed: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(BIN)/.installed-test: requirements-dev.txt requirements-security.txt requirements.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	touch $@

$(BIN)/.installed-lint: requirements-lint.txt requirements.txt | $(BIN)/python
	$(PIP) -r requirements-lint.txt
	touch $@

venv: $(BIN)/.installed
venv-test: $(BIN)/.installed-test

# ruff (lint and format) and mypy, configured in pyproject.toml; make test runs it first.
lint: $(BIN)/.installed-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The software bill of materials (CycloneDX JSON) of the pinned runtime requirements; make test writes it.
# The tool has its own virtualenv: its JSON Schema format checkers would slow every test process's start-up.
SBOM ?= var/sbom/tandem.cdx.json
SBOM_BIN := .venv-sbom/bin
$(SBOM_BIN)/.installed: requirements-sbom.txt
	$(PYTHON) -m venv $(dir $(SBOM_BIN))
	$(SBOM_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-sbom.txt
	touch $@

sbom: $(SBOM_BIN)/.installed
	mkdir -p $(dir $(SBOM))
	$(SBOM_BIN)/cyclonedx-py requirements requirements.txt --of JSON --sv 1.6 --output-reproducible --validate -o $(SBOM)

run: venv
	$(BIN)/python manage.py init_keys
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py demo_logins --port $(PORT)
	# The background worker and the daily scheduler run beside the server and stop with it.
	export TANDEM_DEBUG=$${TANDEM_DEBUG:-true}; \
	$(BIN)/python manage.py db_worker --no-reload --interval 5 -v 0 & worker=$$!; \
	$(BIN)/python manage.py run_daily & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

browser:
	@bash scripts/ensure-chromium.sh

test: lint venv-test browser sbom
	bash scripts/run-tests.sh

messages: venv
	cd $(CURDIR) && $(BIN)/python manage.py makemessages -l de --ignore=.venv --ignore=staticfiles && $(BIN)/python manage.py compilemessages --ignore=.venv

# Benchmarks (docs/scale.md): `make bench SIZE=small|medium|large DB=sqlite|postgres`; data is generated on first use.
SIZE ?= small
DB ?= sqlite
ITERATIONS ?= 30
PROCESSES ?= 4
bench: venv
	$(BIN)/python -m bench.run --size $(SIZE) --db $(DB) --iterations $(ITERATIONS)

bench-concurrency: venv
	$(BIN)/python -m bench.concurrency --size $(SIZE) --processes $(PROCESSES)

# Production set-up on 127.0.0.1 (docs/production.md): gunicorn, production settings, PostgreSQL (DATABASE_URL's
# server or 127.0.0.1:5432). `make load` (LOAD_USERS staff for LOAD_TIME), `make load-ramp` (until p95 > 200 ms),
# `make faults` (kill -9 and database outage; make test runs them too).
LOAD_USERS ?= 100
LOAD_TIME ?= 5m
LOAD_ARGS ?=
$(BIN)/.installed-load: requirements-load.txt $(BIN)/.installed-test
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

load: $(BIN)/.installed-load
	$(BIN)/python -m loadtest.run --users $(LOAD_USERS) --run-time $(LOAD_TIME) $(LOAD_ARGS)

load-ramp: $(BIN)/.installed-load
	$(BIN)/python -m loadtest.run --ramp $(LOAD_ARGS)

faults: venv-test
	$(BIN)/python -m pytest -m fault loadtest/tests -v

clean:
	rm -rf $(VENV) .venv-sbom staticfiles .pytest_cache .mypy_cache .ruff_cache
