# ClaimTracker: `make demo` sets up and serves the app; `make test` sets up and runs the tests.
# Both work on a fresh machine: they find a Python >= 3.12, build .venv from pyproject.toml and start
# the embedded PostgreSQL (or use DATABASE_URL when it is set).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
EVAL_DIR ?= ../shared/eval
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
CHROMIUM := /usr/bin/chromium

# htmx 2 is vendored in static/vendor (nothing from a CDN). `make vendor` fetches it again from npm and checks
# the file against this sha256, so anyone can verify the committed copy. templates/base.html names the file.
HTMX_VERSION := 2.0.11
HTMX_SHA256 := d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
HTMX_FILE := static/vendor/htmx-$(HTMX_VERSION).min.js

# Candidates in order of preference; pyenv keeps versions outside PATH on our machines.
PYTHON_CANDIDATES := $(PYTHON) python3.12 python3.13 python3 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)) \
	$(wildcard /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9])

# Run $(1) with $(WORKERS) task-queue workers (`manage.py db_worker`) beside it in the background; they stop
# when it ends, on Ctrl-C too (background jobs ignore SIGINT here, so the EXIT trap sends them SIGTERM).
define with_workers
pids=(); for _ in $$(seq $(WORKERS)); do $(MANAGE) db_worker --no-reload & pids+=($$!); done; \
trap 'kill $${pids[@]} 2>/dev/null || true; wait $${pids[@]} 2>/dev/null || true' EXIT; \
trap 'exit 130' INT TERM; \
$(1)
endef

define find_python
for candidate in $(PYTHON_CANDIDATES); do \
	if command -v "$$candidate" >/dev/null 2>&1 && \
	   "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		command -v "$$candidate"; exit 0; \
	fi; \
done; exit 1
endef

.PHONY: help demo test run worker ingest lint format reset-db setup test-external-db clean eval bench-extract train \
	vendor screenshots chromium

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

demo: setup  ## set everything up, load the seed corpus and serve on http://$(HOST):$(PORT) with a worker
	$(MANAGE) setup_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with $(WORKERS) background worker(s) (Ctrl-C stops all)"
	@$(call with_workers,$(MANAGE) runserver $(HOST):$(PORT))

test: $(STAMP) chromium  ## set everything up and run the whole test suite
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)
	@if [ -n "$${EXTERNAL_DATABASE_URL:-}" ]; then $(MAKE) --no-print-directory test-external-db; fi

screenshots: $(STAMP) chromium  ## run the browser tests and save their screenshots in docs/screenshots/
	SCREENSHOTS=1 $(PY) -m pytest -p no:cacheprovider -m browser $(PYTEST_ARGS)
	@echo "Screenshots are in docs/screenshots/"

# The browser tests drive Debian's chromium (Playwright's own browser download cannot work here).
chromium:  ## make sure /usr/bin/chromium exists (installs it with apt-get when root)
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then as=(); elif sudo -n true 2>/dev/null; then as=(sudo -n); else \
		echo "error: the browser tests need $(CHROMIUM), which is missing, and installing it needs root."; \
		echo "       Install it with:  sudo apt-get update && sudo apt-get install -y chromium"; \
		echo "       (or skip the browser tests: make test PYTEST_ARGS='-m \"not browser\"')"; exit 1; fi; \
	echo "Installing chromium with apt-get for the browser tests (about 30 s, once)"; \
	"$${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; \
	"$${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	test -x $(CHROMIUM) || { echo "error: apt-get installed chromium but $(CHROMIUM) is still missing"; exit 1; }

vendor:  ## fetch htmx $(HTMX_VERSION) from npm again and check it against the recorded sha256
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null 2>&1) || { \
		echo "error: npm pack htmx.org@$(HTMX_VERSION) failed (is npm installed and the registry reachable?)"; exit 1; }; \
	tar -xzf "$$tmp"/htmx.org-$(HTMX_VERSION).tgz -C "$$tmp" package/dist/htmx.min.js; \
	actual=$$(sha256sum "$$tmp"/package/dist/htmx.min.js | cut -d' ' -f1); \
	if [ "$$actual" != "$(HTMX_SHA256)" ]; then \
		echo "error: htmx.org@$(HTMX_VERSION) dist/htmx.min.js has sha256 $$actual,"; \
		echo "       the Makefile records $(HTMX_SHA256). Not copied."; exit 1; fi; \
	mkdir -p static/vendor && cp "$$tmp"/package/dist/htmx.min.js $(HTMX_FILE); \
	echo "$(HTMX_FILE): htmx $(HTMX_VERSION), sha256 $$actual (verified)"

test-external-db: $(STAMP)  ## migrations and a round trip against EXTERNAL_DATABASE_URL (CI sets it)
	DATABASE_URL="$${EXTERNAL_DATABASE_URL:?set EXTERNAL_DATABASE_URL}" \
		$(PY) -m pytest -p no:cacheprovider -m external_db tests/test_external_database.py

setup: $(STAMP)  ## create .venv, install, migrate
	$(MANAGE) migrate --no-input

run: setup  ## serve the app without touching the data, with WORKERS=$(WORKERS) background worker(s)
	@echo "Serving on http://$(HOST):$(PORT)/ with $(WORKERS) background worker(s) (Ctrl-C stops all)"
	@$(call with_workers,$(MANAGE) runserver $(HOST):$(PORT))

# More throughput: `make worker WORKERS=N` here, or on other machines with the same DATABASE_URL (about one
# worker per core; each loads its own spaCy model). Workers share the queue and take over a dead one's task.
worker: setup  ## run WORKERS=N queue workers (ingestion, extraction) until Ctrl-C
	@echo "$(WORKERS) worker(s) on the task queue (Ctrl-C stops them after their current task)"
	@$(call with_workers,wait)

ingest: setup  ## ingest FILES (default: fixtures/seeds)
	$(MANAGE) ingest $(or $(FILES),fixtures/seeds)

eval: $(STAMP)  ## score the extractor on PolNeAR dev (EVAL_DIR=$(EVAL_DIR)) and print the table
	@test -f $(EVAL_DIR)/score_attributions.py || { echo "error: no scorer at $(EVAL_DIR) (set EVAL_DIR=)"; exit 1; }
	@mkdir -p var/eval
	$(MANAGE) extract --text-dir $(EVAL_DIR)/polnear/dev/text --jsonl var/eval/dev.jsonl
	$(PY) $(EVAL_DIR)/score_attributions.py $(EVAL_DIR)/polnear/dev var/eval/dev.jsonl

bench-extract: $(STAMP)  ## words/second of extraction against plain nlp.pipe over PolNeAR dev
	$(PY) -m claims.extraction.bench --text-dir $(EVAL_DIR)/polnear/dev/text

train: $(STAMP)  ## rebuild the cue model and lexicon from PolNeAR train (EVAL_DIR=$(EVAL_DIR))
	$(PY) -m claims.extraction.train --train-dir $(EVAL_DIR)/polnear/train

lint: $(STAMP)  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)  ## apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

reset-db: $(STAMP)  ## stop the embedded PostgreSQL and delete its data (var/pgdata)
	$(PY) -m claimtracker.database reset

clean:  ## remove .venv (the database in var/ stays)
	rm -rf $(VENV) *.egg-info

$(STAMP): pyproject.toml
	@python=$$($(find_python)) || { \
		echo "error: ClaimTracker needs Python >= 3.12 and none was found on PATH or under ~/.pyenv/versions."; \
		echo "       Install one, or point to it: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12"; exit 1; }; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Creating $(VENV) with $$python ($$($$python -V))"; \
		rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	@echo "Installing dependencies into $(VENV) (first run: about a minute)"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 | { grep -v "is ignored" || true; }
	@touch $@

.PHONY: backup restore

backup: $(STAMP)  ## dump the database to FILE (default var/backups/claimtracker-<timestamp>.dump)
	$(PY) -m claimtracker.backup backup $(FILE)

restore: $(STAMP)  ## replace the database's contents with the dump FILE=… (all or nothing)
	@test -n "$(FILE)" || { echo "error: name the dump to restore: make restore FILE=var/backups/…dump"; exit 1; }
	$(PY) -m claimtracker.backup restore $(FILE)

include bench.mk

# Coverage-guided fuzzing with atheris (libFuzzer) from the committed seed corpus in fuzz/corpus/ (made by
# `python -m fuzz.make_corpus`); inputs it finds go to var/fuzz/corpus/, crashing inputs to var/fuzz/.
FUZZ_RUNS ?= 20000
FUZZ_EXTRACTOR_RUNS ?= 1000
.PHONY: fuzz
fuzz: $(STAMP)  ## fuzz decode+parsers (FUZZ_RUNS) and the extractor (FUZZ_EXTRACTOR_RUNS); crashes in var/fuzz/
	@mkdir -p var/fuzz/corpus/parsers var/fuzz/corpus/extractor
	$(PY) -m fuzz.parsers -runs=$(FUZZ_RUNS) -max_len=65536 -artifact_prefix=var/fuzz/ \
		var/fuzz/corpus/parsers fuzz/corpus/parsers
	$(PY) -m fuzz.extractor -runs=$(FUZZ_EXTRACTOR_RUNS) -max_len=2000 -artifact_prefix=var/fuzz/ \
		var/fuzz/corpus/extractor fuzz/corpus/extractor
