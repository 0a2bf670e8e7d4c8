# reportlib — `make report LOCALITY=huli` sets up .venv if needed and renders
# reports/huli/huli.html and reports/huli/huli.pdf. `make` alone lists the targets.
# Every recipe forwards to `python -m reportlib …`, pytest or ruff; the logic lives in Python.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed

# Known locality ids: first column of data/localities.csv (header skipped). This shell call
# never sees LOCALITY.
KNOWN_LOCALITIES := $(shell tail -n +2 data/localities.csv 2>/dev/null | cut -d, -f1 | tr -d '\r')

# LOCALITY is checked here, in make, before any recipe, shell or path uses it. $(value …)
# takes the text as typed, so `LOCALITY='$(shell …)'` is compared, never expanded.
LOC := $(strip $(value LOCALITY))
AS_OF_ARG := $(if $(strip $(value AS_OF)),--as-of $(strip $(value AS_OF)),)

ifneq ($(filter report,$(MAKECMDGOALS)),)
  ifeq ($(LOC),)
    $(error LOCALITY is missing: use `make report LOCALITY=<id>` with one of: $(KNOWN_LOCALITIES) all)
  endif
  ifneq ($(words $(LOC))$(findstring %,$(LOC))$(findstring $$,$(LOC)),1)
    $(error LOCALITY must be one locality id; known: $(KNOWN_LOCALITIES) all)
  endif
  ifeq ($(filter $(LOC),$(KNOWN_LOCALITIES) all),)
    $(error unknown LOCALITY '$(LOC)'; known localities: $(KNOWN_LOCALITIES) (or all for the overview))
  endif
endif
ifneq ($(AS_OF_ARG),)
  ifeq ($(shell [[ '$(subst ',,$(strip $(value AS_OF)))' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] && echo ok),)
    $(error AS_OF must be a date YYYY-MM-DD)
  endif
endif

# What a report is made from: a change to any of these re-renders it.
REPORT_DEPS := $(wildcard notebooks/*.ipynb) $(wildcard src/reportlib/*.py) \
	$(wildcard src/reportlib/templates/*/*) $(wildcard data/*.csv)

.PHONY: help
help: ## show this list of targets
	@echo "usage: make <target> [LOCALITY=<id>] [AS_OF=YYYY-MM-DD]"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo "localities: $(KNOWN_LOCALITIES) all"

.PHONY: venv
venv: $(VENV_STAMP) ## create .venv and install the package with its dev tools

# The environment is installed from the lock (exact versions, hashes checked), then the
# package itself without dependencies: a clone built next year gets the same versions.
LOCK := requirements.lock
$(VENV_STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m reportlib.lockfile check >/dev/null || \
		echo "warning: $(LOCK) is out of step with pyproject.toml; run \`make lock\`" >&2
	touch $@

.PHONY: lock
lock: ## refresh requirements.lock (every platform, hashes) and environment.yml's pins
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet "uv>=0.5"
	$(PY) -m uv pip compile pyproject.toml --extra dev --universal --generate-hashes \
		--python-version 3.11 --quiet --output-file $(LOCK)
	PYTHONPATH=src $(PY) -m reportlib.lockfile sync

.PHONY: report
report: reports/$(LOC)/$(LOC).pdf ## render one report: make report LOCALITY=huli [AS_OF=…]

ifneq ($(LOC),)
# A real file target: nothing changed since the last render → nothing to do.
reports/$(LOC)/$(LOC).pdf: $(REPORT_DEPS) | $(VENV_STAMP)
	$(PY) -m reportlib render $(LOC) $(AS_OF_ARG)
endif

.PHONY: reports
reports: build/manifest.json ## render every locality and the overview (one recipe, -j safe)

# One recipe renders everything (so `make -j` cannot start two renders of one report): the
# batch renderer, which writes build/manifest.json.
build/manifest.json: $(REPORT_DEPS) | $(VENV_STAMP)
	$(PY) -m reportlib render --all $(AS_OF_ARG) || { touch -d @0 $@; exit 1; }

.PHONY: test
test: $(VENV_STAMP) ## run the test suite
	$(PY) -m pytest

.PHONY: lint
lint: $(VENV_STAMP) ## ruff check, ruff format --check, notebooks stored without outputs
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m nbstripout --keep-id --verify notebooks/*.ipynb

.PHONY: format
format: $(VENV_STAMP) ## format the code and strip notebook outputs
	$(PY) -m ruff check --fix src tests benchmarks
	$(PY) -m ruff format src tests benchmarks
	$(PY) -m nbstripout --keep-id notebooks/*.ipynb

.PHONY: validate
validate: $(VENV_STAMP) ## check every data file against the data dictionary
	$(PY) -m reportlib validate

.PHONY: bench
bench: $(VENV_STAMP) ## time reportlib against papermill+nbconvert; writes build/bench.json
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

.PHONY: clean
clean: ## remove build/ and reports/ (rendered output) and tool caches
	rm -rf build reports .pytest_cache .ruff_cache
