# secdocs — two commands on a fresh machine: `make demo` and `make test`.
# Everything is installed from requirements.lock (hashes checked) into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= demo
PIP    := $(BIN)/python -m pip --disable-pip-version-check --no-input
export PIP_NO_INPUT := 1

.PHONY: install demo test lint typecheck security unit fuzz lockcheck system-deps sbom docs bench clean
FUZZ_SECONDS ?= 10

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
	$(BIN)/ruff check secdocs tests plugins benchmarks scripts fuzz
	$(BIN)/ruff format --check secdocs plugins scripts fuzz

typecheck: install
	$(BIN)/mypy

security: install
	$(BIN)/bandit -q -c pyproject.toml -r secdocs plugins/secdocs-junit/secdocs_junit

# Debian packages the tests drive: chromium (browser suite), gpg (OpenPGP tags, signed
# security.txt), ssh-keygen (SSH-signed tags). Installed only when missing, and only as root.
SYSTEM_TOOLS := chromium:chromium gpg:gnupg ssh-keygen:openssh-client
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "tests need Debian packages:$$missing (sudo apt-get install$$missing)"; fi; fi

browser-deps: system-deps

unit: install system-deps
	$(BIN)/pytest -n 2 -p no:cacheprovider --cov=secdocs --cov-report=term --cov-fail-under=90

fuzz: install
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

test: lockcheck lint typecheck security unit fuzz

sbom: install
	$(BIN)/cyclonedx-py environment --output-format JSON --output-file secdocs.cdx.json $(VENV)

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) site .coverage .coverage.* .mypy_cache .ruff_cache
