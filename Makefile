# Cove: `make run` starts the app, `make test` runs every test. Both set up .venv the
# first time (llama.cpp is compiled for this machine once: a few minutes).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ENGINE := $(VENV)/.cove-engine
APP    := $(VENV)/.cove-app
TESTS  := $(VENV)/.cove-tests

.PHONY: run test lint bench clean sandbox sandbox-if-possible

run: $(APP)
	$(VENV)/bin/cove

test: $(TESTS) sandbox-if-possible
	$(PY) -m ruff check app tests bench tools
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(TESTS)
	$(PY) -m ruff check app tests bench tools
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

bench: $(TESTS)
	$(PY) bench/engine.py
	$(PY) bench/history.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/ui.py
	$(PY) bench/downloads.py
	$(PY) bench/hardware.py

$(ENGINE): tools/install_engine.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) tools/install_engine.py
	touch $@

$(APP): $(ENGINE) pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(TESTS): $(ENGINE) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(APP)

# The python tool's sandbox, bubblewrap (Debian/Ubuntu). Optional: without it the tool
# uses a weaker one (app/tools/python.py says which and why).
sandbox:
	command -v bwrap >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y --no-install-recommends bubblewrap || \
		{ $$SUDO apt-get update -qq && \
		  $$SUDO apt-get install -y --no-install-recommends bubblewrap; }; }

# make test tries it (the sandbox's tests then run with bubblewrap); a machine where
# it cannot be installed runs them on the weaker sandboxes.
sandbox-if-possible:
	-@$(MAKE) --no-print-directory sandbox

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache \
		.import_linter_cache .grimp_cache
include packaging.mk
