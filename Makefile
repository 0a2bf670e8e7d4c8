# reportlib — `make report LOCALITY=huli` sets up .venv if needed and renders
# reports/huli/huli.html and reports/huli/huli.pdf. `make` alone lists the targets.
# Every recipe forwards to `python -m reportlib …`, pytest, ruff or mypy; the logic lives in Python.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed

# Known locality ids: first column of data/localities.csv (header skipped). This shell call
# never sees LOCALITY.
# Provinces and cities (data/regions.csv) render a roll-up of the localities under them.
KNOWN_LOCALITIES := $(shell tail -n +2 data/localities.csv 2>/dev/null | cut -d, -f1 | tr -d '\r') \
	$(shell tail -n +2 data/regions.csv 2>/dev/null | cut -d, -f1 | tr -d '\r')

# LOCALITY is checked here, in make, before any recipe, shell or path uses it. $(value …)
# takes the text as typed, so `LOCALITY='$(shell …)'` is compared, never expanded.
LOC := $(strip $(value LOCALITY))
AS_OF_ARG := $(if $(strip $(value AS_OF)),--as-of $(strip $(value AS_OF)),)
# NOTEBOOK: an edited copy of the report notebook (quoted for the shell, its quotes dropped)
NOTEBOOK_ARG := $(if $(strip $(value NOTEBOOK)),--notebook '$(subst ',,$(strip $(value NOTEBOOK)))',)

ifneq ($(filter report preview,$(MAKECMDGOALS)),)
  ifeq ($(LOC),)
    $(error LOCALITY is missing: use `make $(firstword $(filter report preview,$(MAKECMDGOALS))) LOCALITY=<id>` with one of: $(KNOWN_LOCALITIES) all)
  endif
  ifneq ($(words $(LOC))$(findstring %,$(LOC))$(findstring $$,$(LOC)),1)
    $(error LOCALITY must be one locality id; known: $(KNOWN_LOCALITIES) all)
  endif
  ifeq ($(filter $(LOC),$(KNOWN_LOCALITIES) all),)
    $(error unknown LOCALITY '$(LOC)'; known localities: $(KNOWN_LOCALITIES) (or all for the overview))
  endif
endif
ifneq ($(AS_OF_ARG),)
  # the shape first (so the shell sees digits and dashes only), then a real calendar day
  ifeq ($(shell [[ '$(subst ',,$(strip $(value AS_OF)))' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] && \
      [ "$$(date -ud '$(subst ',,$(strip $(value AS_OF)))' +%F 2>/dev/null)" = \
      '$(subst ',,$(strip $(value AS_OF)))' ] \
      && echo ok),)
    $(error AS_OF must be a real date YYYY-MM-DD, not '$(strip $(value AS_OF))')
  endif
endif

# Parameter stamps: build/params/<id> holds every setting besides the files that changes a
# report (the date, the data and source folders, the PDF date, the font, NOTEBOOK). It is rewritten
# only when that text differs from the last render's, so `make report LOCALITY=huli
# AS_OF=2029-01-01` re-renders, a plain `make report LOCALITY=huli` goes back, and a second
# identical call does nothing. $(file …) reads and writes them without a shell.
PARAMS_DIR := build/params
PARAMS := as_of=$(strip $(value AS_OF)) data=$(value REPORTLIB_DATA) \
	sources=$(value REPORTLIB_SOURCES) epoch=$(value SOURCE_DATE_EPOCH) \
	font=$(value REPORTLIB_CJK_FONT) notebook=$(value NOTEBOOK)
_same = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
_stamp = $(if $(call _same,$(file <$(PARAMS_DIR)/$(1)),$(PARAMS)),,$(file >$(PARAMS_DIR)/$(1),$(PARAMS)))
STAMPED := $(if $(filter report,$(MAKECMDGOALS)),$(LOC)) \
	$(if $(filter reports,$(MAKECMDGOALS)),$(KNOWN_LOCALITIES) all)
ifneq ($(strip $(STAMPED)),)
  $(shell mkdir -p $(PARAMS_DIR))
  $(foreach id,$(sort $(STAMPED)),$(call _stamp,$(id)))
endif

# What a report is made from: a change to any of these re-renders it.
# Every module of every layer (sub-packages included) and every template.
REPORT_DEPS := $(wildcard notebooks/*.ipynb) $(wildcard $(value NOTEBOOK)) \
	$(shell find src/reportlib -name '*.py' -o -path '*/templates/*' -type f) \
	$(wildcard data/*.csv) $(wildcard data/commentary/*.md) \
	$(if $(value REPORTLIB_DATA),$(wildcard $(value REPORTLIB_DATA)/*.csv $(value REPORTLIB_DATA)/commentary/*.md))

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
PIP_LOCK := requirements-pip.lock
$(VENV_STAMP): pyproject.toml $(LOCK) $(PIP_LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(PIP_LOCK)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m reportlib.render.lockfile check >/dev/null || \
		echo "warning: $(LOCK) is out of step with pyproject.toml; run \`make lock\`" >&2
	$(PY) -m ipykernel install --sys-prefix --name reportlib --display-name "Python (reportlib)" >/dev/null
	touch $@

.PHONY: lock
lock: ## refresh requirements.lock (every platform, hashes) and environment.yml's pins
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet "uv>=0.5"
	$(PY) -m uv pip compile pyproject.toml --extra dev --universal --generate-hashes \
		--python-version 3.11 --quiet --output-file $(LOCK)
	PYTHONPATH=src $(PY) -m reportlib.render.lockfile sync

.PHONY: report
report: reports/$(LOC)/$(LOC).pdf ## render one report: make report LOCALITY=huli [AS_OF=…] [NOTEBOOK=…]

ifneq ($(LOC),)
# A real file target: nothing changed since the last render → nothing to do.
reports/$(LOC)/$(LOC).pdf: $(REPORT_DEPS) $(PARAMS_DIR)/$(LOC) | $(VENV_STAMP)
	$(PY) -m reportlib render $(LOC) $(AS_OF_ARG) $(NOTEBOOK_ARG)
endif

.PHONY: reports
reports: build/manifest.json ## render every locality and the overview (one recipe, -j safe)

# One recipe renders everything (so `make -j` cannot start two renders of one report): the
# batch renderer, which writes build/manifest.json.
build/manifest.json: $(REPORT_DEPS) $(addprefix $(PARAMS_DIR)/,$(KNOWN_LOCALITIES) all) \
		| $(VENV_STAMP)
	$(PY) -m reportlib render --all $(AS_OF_ARG) || { touch -d @0 $@; exit 1; }

# The Jupyter kernel of this project's .venv, registered inside the venv (--sys-prefix) when
# the venv is set up: the notebooks name it (kernelspec "reportlib"). Here again for a venv
# set up before the kernel existed.
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/reportlib/kernel.json

$(KERNEL_SPEC): $(VENV_STAMP)
	$(PY) -m ipykernel install --sys-prefix --name reportlib --display-name "Python (reportlib)"

.PHONY: lab
lab: $(KERNEL_SPEC) ## open JupyterLab on notebooks/ with the project's kernel (LAB_ARGS=…)
	$(PY) -m jupyterlab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

.PHONY: preview
preview: $(VENV_STAMP) ## serve one report's HTML, re-rendered on save: make preview LOCALITY=huli
	$(PY) -m reportlib preview $(LOC) $(AS_OF_ARG) $(PREVIEW_ARGS)

.PHONY: test
test: $(VENV_STAMP) ## run the test suite
	$(PY) -m pytest

# CI runs `make lint` then `make test` (.ci/run); the pre-commit hooks run the same tools
# from .venv, so a commit, `make lint` and CI check with the locked versions.
.PHONY: lint
lint: $(VENV_STAMP) ## ruff check, ruff format --check, notebooks without outputs, mypy
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m nbstripout --keep-id --verify notebooks/*.ipynb
	$(PY) -m mypy

.PHONY: typecheck
typecheck: $(VENV_STAMP) ## mypy over src/reportlib ([tool.mypy] in pyproject.toml)
	$(PY) -m mypy

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

.PHONY: intake
intake: $(VENV_STAMP) ## draft data from a document: make intake FILE=reply.pdf LOCALITY=<new id> [OUT=dir]
	@test -n "$(FILE)" -a -n "$(LOCALITY)" || { echo "usage: make intake FILE=<file(s)> LOCALITY=<id> [SOURCE_ID=<id>] [OUT=<dir>]"; exit 2; }
	$(PY) -m reportlib intake $(FILE) --locality '$(subst ',,$(LOCALITY))' \
		$(if $(SOURCE_ID),--source-id '$(subst ',,$(SOURCE_ID))') $(if $(OUT),--out '$(subst ',,$(OUT))')

.PHONY: accept
accept: $(VENV_STAMP) ## merge the rows marked accept in a drafts folder: make accept DIR=build/intake/x
	@test -n "$(DIR)" || { echo "usage: make accept DIR=<drafts folder>"; exit 2; }
	$(PY) -m reportlib accept '$(subst ',,$(DIR))'

.PHONY: bench-intake
bench-intake: $(VENV_STAMP) ## time the intake of 100 replies; recall/precision; writes build/intake-bench.json
	$(PY) benchmarks/intake_bench.py $(BENCH_ARGS)

.PHONY: clean
clean: ## remove build/ and reports/ (rendered output) and tool caches
	rm -rf build reports .pytest_cache .ruff_cache .mypy_cache
