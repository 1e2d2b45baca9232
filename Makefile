# Neural Playground: `make run` serves the playground, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-js lint bench install install-test chromium redis node clean

# The stamp files make the second run fast: reinstall only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/neural-playground --host $(HOST) --port $(PORT)

# Debian's chromium: Playwright's own browser download does not work on these machines.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's redis-server: the class tests start one on a free loopback port (tests/server).
redis:
	@if ! command -v redis-server >/dev/null; then \
		echo "installing Debian's redis-server for the class tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

# Debian's nodejs, for the page's unit tests (tests/js, `node --test`, no browser).
node:
	@if ! command -v node >/dev/null 2>&1; then \
		echo "installing Debian's nodejs for the page's unit tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; \
	fi

# The page's pure modules (frame decoding, colours, layout, facts, state slices) in Node.
test-js: install-test node
	node --test tests/js/

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test chromium redis lint test-js
	$(BIN)/python -m pytest -q

bench: install-test chromium
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache
