# copydesk: `make run` serves the app on http://127.0.0.1:8000, `make test` runs every test.
# `make help` lists the targets. Settings come from the environment (see the README), e.g.
#   PORT=9000 make run    or    make run DATABASE_URL=sqlite:///./data/other.db

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The venv is (re)installed only when pyproject.toml is newer than these stamps.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# The alignment engine is compiled (setup.py, Cython) again only when one of its sources changed.
ENGINE_STAMP := $(VENV)/.built-engine
ENGINE_SOURCES := setup.py $(wildcard app/align/*.py)
PIP := $(PY) -m pip --disable-pip-version-check
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test bench migrate demo screenshot clean help

run: $(RUN_STAMP) $(ENGINE_STAMP) ## Set up .venv, migrate, load the demo pairs into an empty database, re-align what an older engine aligned, serve on 127.0.0.1:8000
	$(BIN)/copydesk migrate
	$(BIN)/copydesk demo --if-empty
	$(BIN)/copydesk realign
	$(BIN)/copydesk serve

test: $(TEST_STAMP) $(ENGINE_STAMP) ## Set up .venv with the test extras and run the whole pytest suite (browser tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(RUN_STAMP) $(ENGINE_STAMP) ## Run the alignment benchmarks (bench/run.py)
	$(PY) bench/run.py $(BENCH_ARGS)

migrate: $(RUN_STAMP) ## Upgrade the database schema to the latest migration
	$(BIN)/copydesk migrate

demo: $(RUN_STAMP) ## Load the demo pairs (never adds one twice)
	$(BIN)/copydesk demo

screenshot: $(TEST_STAMP) ## Regenerate docs/comparison.png in headless Chromium
	$(PY) -m tests.browser.screenshot

clean: ## Remove .venv, caches and the compiled engine (keeps ./data, the database)
	rm -rf $(VENV) .pytest_cache .hypothesis test-results build copydesk.egg-info app/align/*.so app/align/_compiled.json
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Old pip (the venv's own) mis-resolves some dependencies: upgrade it first. These installs
# leave the engine as it is (COPYDESK_ENGINE=python: no compiling); $(ENGINE_STAMP) builds it.
$(RUN_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	COPYDESK_ENGINE=python $(PIP) install --quiet --editable .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	COPYDESK_ENGINE=python $(PIP) install --quiet --editable '.[test]'
	touch $(RUN_STAMP) $@

# Compiles the engine in place (about a minute on two cores). Without a C compiler it stays
# Python, and runs as such: `$(PY) -c 'import app.align as a; print(a.compiled_modules())'`.
$(ENGINE_STAMP): $(ENGINE_SOURCES) | $(RUN_STAMP)
	$(PIP) install --quiet --no-deps --editable .
	touch $@
