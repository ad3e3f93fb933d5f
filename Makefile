# The project's commands (SPEC: Commands). `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ENGINE := $(PYTHON) engine/manage.py
PORT ?= 8000
export PORT

.PHONY: setup es-up es-down es-status run test unit lint typecheck format clean-data

# ---- install: idempotent; the second run only checks timestamps
setup: $(VENV)/.installed engine/target/.built

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

engine/target/.built: engine/pom.xml $(shell find engine/src -name '*.java')
	@command -v mvn >/dev/null || { echo "error: Maven is not installed: install it (e.g. apt-get install maven)" >&2; exit 1; }
	mvn -q -B -f engine/pom.xml package
	@touch $@

# ---- the embedded engine (skipped when ES_URL points at another cluster)
es-up: engine/target/.built
	@$(ENGINE) up

es-down:
	@$(ENGINE) down

es-status:
	@$(ENGINE) status

# ---- the demo: engine, demo corpus when the indices are empty, API and page
run: setup
	@$(ENGINE) up --mark .data/started-by-run
	@trap '[ -f .data/started-by-run ] && { $(ENGINE) down; rm -f .data/started-by-run; }' EXIT; \
	  $(PY) -m indexer demo --if-empty && \
	  ALLOW_ANONYMOUS=$${ALLOW_ANONYMOUS:-true} $(PY) -m search_api

# ---- checks: lint, types, then the whole suite against a real engine
test: setup
	@$(ENGINE) up --mark .data/started-by-test
	@rc=0; \
	  $(MAKE) --no-print-directory lint typecheck || rc=$$?; \
	  if [ $$rc -eq 0 ]; then $(PY) -m pytest -q || rc=$$?; fi; \
	  if [ -f .data/started-by-test ]; then $(ENGINE) down; rm -f .data/started-by-test; fi; \
	  exit $$rc

unit: setup
	$(PY) -m pytest -q tests/unit

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check core indexer search_api relevance

typecheck:
	$(VENV)/bin/mypy core indexer search_api relevance

format:
	$(VENV)/bin/ruff format core indexer search_api relevance tests
	$(VENV)/bin/ruff check --fix .
