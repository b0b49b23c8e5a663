# secdocs — two commands on a fresh machine: `make demo` and `make test`.
# Everything is installed from requirements.lock (hashes checked) into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= demo
PIP    := $(BIN)/python -m pip --disable-pip-version-check --no-input
export PIP_NO_INPUT := 1

.PHONY: install demo test lint typecheck security unit lockcheck browser-deps sbom docs bench clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml plugins/secdocs-junit/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock >$(VENV)/install.log 2>&1 \
	  || { cat $(VENV)/install.log; exit 1; }
	$(PIP) check
	$(PIP) install --quiet --no-deps --no-build-isolation -e . -e plugins/secdocs-junit
	touch $@

demo: install
	rm -rf $(DEMO)
	$(BIN)/secdocs demo $(DEMO)

lockcheck: install
	$(BIN)/python scripts/check_lock.py

lint: install
	$(BIN)/ruff check secdocs tests plugins benchmarks scripts
	$(BIN)/ruff format --check secdocs plugins scripts

typecheck: install
	$(BIN)/mypy

security: install
	$(BIN)/bandit -q -c pyproject.toml -r secdocs plugins/secdocs-junit/secdocs_junit

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

unit: install browser-deps
	$(BIN)/pytest -n 2 -p no:cacheprovider --cov=secdocs --cov-report=term --cov-fail-under=90

test: lockcheck lint typecheck security unit

sbom: install
	$(BIN)/cyclonedx-py environment --output-format JSON --output-file secdocs.cdx.json $(VENV)

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) site .coverage .coverage.* .mypy_cache .ruff_cache
