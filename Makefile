# The kit's commands. Each creates .venv from requirements.txt on first use.
#   make serve   build everything and serve http://127.0.0.1:8000/ with live reload
#   make test    build strictly, check every link, run every test (a plain pytest is the quick run)
#   make build   strict build of the site and its handouts into site/
#   make check   the link check over site/
#   make publish build and check for the public address: SITE_URL=https://… make publish
#   make check-external   links to other hosts (opt-in: needs internet)
#   make offline the kit as a zip that works without internet, in dist/
#   make collect IN=folder   read filled handouts into dist/synthese/ (OUT=… elsewhere, LANG=en in English)
#   make bench   measure build time, handout time and size, page weight; record them in the README

PYTHON ?= python3
# Another Python in its own environment: make build PYTHON=python3.13 VENV=.venv-3.13
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check publish check-external offline bench test collect clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (the pinned requirements need it): install it and run make again, or name it: make PYTHON=python3.12 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

serve: $(STAMP)
	$(BIN)/python scripts/build.py serve

build: $(STAMP)
	$(BIN)/python scripts/build.py build

check: $(STAMP)
	$(BIN)/python scripts/build.py check

publish: $(STAMP)
	$(BIN)/python scripts/build.py publish

check-external: $(STAMP)
	$(BIN)/python scripts/build.py check-external

bench: $(STAMP) node_modules/.installed
	$(BIN)/python scripts/bench.py

# LANG is read only when given on the command line: the shell's own LANG (en_US.UTF-8…) is not a choice.
# IN, OUT and LANG reach the command through the environment, so that no quote, space or leading -
# in a folder's name is read by the shell or taken for an option; the command checks them all first.
collect: export KIT_COLLECT_IN = $(IN)
collect: export KIT_COLLECT_OUT = $(OUT)
collect: export KIT_COLLECT_LANG = $(if $(filter command line,$(origin LANG)),$(LANG),)
collect: $(STAMP)
	$(BIN)/python scripts/build.py collect --lang "$$KIT_COLLECT_LANG" -- "$$KIT_COLLECT_IN" "$$KIT_COLLECT_OUT"

offline: $(STAMP)
	$(BIN)/python scripts/build.py offline

# The browser and HTML checks' tools (axe-core, vnu-jar), from npm when npm is there; without
# them those tests are skipped with a reason (and fail in CI, where .ci/run installs everything).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "note: npm not found: the browser and HTML validity tests will be skipped"; fi

test: build check node_modules/.installed
	$(BIN)/python -m pytest --all

clean:
	rm -rf site site.partial dist .cache .pytest_cache node_modules
