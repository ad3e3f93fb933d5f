# The project's commands (docs/contract.md: Commands). `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PYTHON) engine/manage.py
PORT ?= 8000
# which embedded engine es-up, run, eval and bench start: opensearch (default) or elasticsearch
# (ES_VERSION picks the Elasticsearch version, default 8.19.0); docs/engines.md
ENGINE ?= opensearch
export PORT ENGINE

.PHONY: setup browser-deps hunspell-deps es-up es-down es-status run test unit lint typecheck format openapi eval eval-report bench soak

# ---- install: idempotent; the second run only checks timestamps
setup: $(VENV)/.installed engine/target/.built browser-deps hunspell-deps .data/models/.exported

# ---- the embedding model as ONNX (fp32 and int8), exported from the installed package's own
# weights into .data/models/; the backends also export on first load (under a file lock)
.data/models/.exported: $(VENV)/.installed core/onnx_model.py core/model_paths.py
	@$(PY) -m core.onnx_model >/dev/null  # prints the files it wrote; errors go to stderr
	@touch $@

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@# twice quiet: setuptools' editable install prints an information-only note ("be careful
	@# with folders named like your package") on every install; errors still show
	$(PY) -m pip install --quiet --quiet -e '.[dev]'
	@touch $@

# ---- headless Chromium for tests/browser (Debian's package: no browser download, no `playwright install`)
CHROMIUM := /usr/bin/chromium
browser-deps: $(VENV)/.installed
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" != 0 ]; then \
	  echo "note: $(CHROMIUM) is missing; the browser tests will skip: run 'sudo apt-get install -y chromium'"; \
	else \
	  echo "installing Chromium: apt-get install -y chromium"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || { \
	    echo "apt-get install failed; running apt-get update, then installing again"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || \
	  echo "warning: could not install Chromium; the browser tests will skip (and fail under CI)"; \
	fi
	@$(PY) -c 'import playwright' 2>/dev/null || { echo "installing the playwright package"; \
	  $(PY) -m pip install --quiet 'playwright>=1.40,<2'; }

# ---- the en_US Hunspell dictionary: the English stemming of the embedded Elasticsearch, whose
# minimal distribution has no stemmer of its own (docs/engines.md); Debian's package, as Chromium
HUNSPELL := /usr/share/hunspell/en_US.dic
hunspell-deps:
	@if [ -f $(HUNSPELL) ]; then :; \
	elif [ "$$(id -u)" != 0 ]; then \
	  echo "note: $(HUNSPELL) is missing; ENGINE=elasticsearch will not start: run 'sudo apt-get install -y hunspell-en-us'"; \
	else \
	  echo "installing the en_US dictionary: apt-get install -y hunspell-en-us"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q hunspell-en-us >/dev/null || { \
	    echo "apt-get install failed; running apt-get update, then installing again"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hunspell-en-us >/dev/null; } || \
	  echo "warning: could not install hunspell-en-us; ENGINE=elasticsearch will not start"; \
	fi

engine/target/.built: engine/pom.xml $(shell find engine/src -name '*.java')
	@command -v mvn >/dev/null || { echo "error: Maven is not installed: install it (e.g. apt-get install maven)" >&2; exit 1; }
	@# batch mode, no colours, no transfer bars: nothing but the build's own errors
	@# Maven 3.8 prints bare colour resets (ESC[0m) even in batch mode without colour: dropped
	set -o pipefail; mvn -q -B --no-transfer-progress -Dstyle.color=never -f engine/pom.xml package 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
	@touch $@

# ---- the embedded engine (skipped when ES_URL points at another cluster)
es-up: engine/target/.built
	@$(MANAGE) up

es-down:
	@$(MANAGE) down

es-status:
	@$(MANAGE) status

# ---- the demo: engine, demo corpus when the indices are empty, API and page
run: setup
	@$(MANAGE) up --mark .data/started-by-run
	@trap '[ -f .data/started-by-run ] && { $(MANAGE) down; rm -f .data/started-by-run; }' EXIT; \
	  $(PY) -m indexer demo --if-empty && \
	  ALLOW_ANONYMOUS=$${ALLOW_ANONYMOUS:-true} $(PY) -m search_api

# ---- checks: lint, types, the unit tests once, then the integration and browser suites on
# each engine of TEST_ENGINES, each started before and stopped after (when this call started
# it); a failure on one engine does not keep the other from running. With ES_URL naming
# another cluster, they run once, against it. Each part says its time.
TEST_ENGINES ?= opensearch elasticsearch
test: setup
	@rc=0; t0=$$(date +%s); \
	  $(MAKE) --no-print-directory lint typecheck || rc=$$?; \
	  if [ $$rc -eq 0 ]; then $(PY) -m pytest -q tests/unit || rc=$$?; fi; \
	  echo "== lint, types and unit tests: $$(( $$(date +%s) - t0 )) s"; \
	  engines="$(TEST_ENGINES)"; \
	  if [ -n "$${ES_URL:-}" ] && [ "$${ES_URL%/}" != "http://127.0.0.1:$${ES_PORT:-9200}" ]; then engines="$(ENGINE)"; fi; \
	  [ $$rc -eq 0 ] || engines=""; \
	  for engine in $$engines; do \
	    t0=$$(date +%s); \
	    if ENGINE=$$engine $(MANAGE) up --mark .data/started-by-test; then \
	      ENGINE=$$engine $(PY) -m pytest -q tests/integration tests/browser || rc=1; \
	      if [ -f .data/started-by-test ]; then ENGINE=$$engine $(MANAGE) down; rm -f .data/started-by-test; fi; \
	    else rc=1; fi; \
	    echo "== integration and browser tests on $$engine: $$(( $$(date +%s) - t0 )) s (engine start and stop included)"; \
	  done; \
	  exit $$rc

unit: setup
	$(PY) -m pytest -q tests/unit

# lint-imports: the layers and no import cycles (contracts in pyproject.toml, docs/architecture.md)
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check core indexer search_api relevance
	$(VENV)/bin/lint-imports --no-cache --no-logo

typecheck:
	$(VENV)/bin/mypy core indexer search_api relevance

# docs/openapi.json, the committed contract (tests/unit/test_openapi_snapshot.py compares it with the served one)
openapi: $(VENV)/.installed
	$(PY) -m search_api.openapi_snapshot

format:
	$(VENV)/bin/ruff format core indexer search_api relevance tests
	$(VENV)/bin/ruff check --fix .

# ---- relevance on the development sets (../shared/data): load them under INDEX_PREFIX=dev,
# then score bm25, vector and hybrid in-process (the API's own code path)
DATA ?= ../shared/data
EVAL_OUT ?= .data/eval
eval: setup
	@test -d $(DATA) || { echo "error: $(DATA) is absent: the development data lives beside the project" >&2; exit 2; }
	@$(MANAGE) up
	$(PY) -m relevance devsets --data $(DATA) --out .data/devsets
	INDEX_PREFIX=dev $(PY) -m indexer rebuild --providers $(DATA)/dev_providers.jsonl \
	  --passages $(DATA)/counsel_chat/passages.jsonl
	INDEX_PREFIX=dev ALLOW_ANONYMOUS=true TODAY=2026-12-06 $(PY) -m relevance eval --app --type passages \
	  --queries .data/devsets/queries.tsv --qrels .data/devsets/passages.qrels \
	  --answers-qrels .data/devsets/passages_answers.qrels --modes bm25,vector,hybrid --json $(EVAL_OUT)/passages.json
	INDEX_PREFIX=dev ALLOW_ANONYMOUS=true TODAY=2026-12-06 $(PY) -m relevance eval --app --type providers \
	  --queries .data/devsets/providers_queries.tsv --qrels .data/devsets/providers.qrels \
	  --modes bm25,vector,hybrid --json $(EVAL_OUT)/providers.json
	INDEX_PREFIX=dev ALLOW_ANONYMOUS=true TODAY=2026-12-06 $(PY) -m relevance eval --app --type providers \
	  --queries .data/devsets/constraint_queries.tsv --qrels .data/devsets/constraints.qrels \
	  --modes bm25,vector,hybrid --json $(EVAL_OUT)/constraints.json

# ---- from `make eval`'s saved runs: a sweep of the passage fusion (plot beside its JSON), an
# HTML report of the run with the sweep, a vector-vs-hybrid comparison, the raters' worklist
SWEEP_GRID ?= passage_bm25_weight=0.1,0.2,0.3,0.4,0.5;fusion=linear,rrf;rank_constant=20,60;window=50,100,200;num_candidates=200,400
eval-report: setup
	@test -f $(EVAL_OUT)/passages.json || { echo "error: $(EVAL_OUT)/passages.json is absent: run 'make eval' first" >&2; exit 2; }
	INDEX_PREFIX=dev $(PY) -m relevance sweep --type passages --queries .data/devsets/queries.tsv \
	  --qrels .data/devsets/passages.qrels --grid '$(SWEEP_GRID)' --json $(EVAL_OUT)/sweep-passages.json
	$(PY) -m relevance report $(EVAL_OUT)/passages.json --sweep $(EVAL_OUT)/sweep-passages.json \
	  --out $(EVAL_OUT)/report-passages.html
	$(PY) -m relevance report $(EVAL_OUT)/passages.json.vector.run $(EVAL_OUT)/passages.json.hybrid.run \
	  --out $(EVAL_OUT)/compare-passages.html
	$(PY) -m relevance unjudged $(EVAL_OUT)/passages.json --out $(EVAL_OUT)/unjudged-passages.csv

# ---- speed at directory scale: BENCH_N generated providers (default 100000) and the guide
# passages under the index prefix `bench`; builds, rebuilds, queries the API, measures the floor
# and memory; writes .data/bench/scale.json. BENCH_ARGS passes options (e.g. --skip-index)
BENCH_N ?= 100000
bench: setup
	@$(MANAGE) up
	BENCH_N=$(BENCH_N) $(PY) -m bench.scale $(BENCH_ARGS)

# ---- load with faults (bench/soak.py): its own engine on SOAK_ES_PORT (default 9260, data in
# .data/soak/; the one on 9200 is never touched), 16 callers for SOAK_SECONDS (default 210) while
# the engine is stopped and started and a rebuild swaps the aliases; writes .data/bench/soak.json
soak: setup
	$(PY) -m bench.soak
