# The two commands a newcomer needs: `make run` and `make test`.
# Python 3.11 or newer: python3.11 when on PATH, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
ANNOTATOR_DB ?= annotator.db
export ANNOTATOR_DB

.PHONY: run test quick bench score lint clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "Python 3.11 or newer is needed (found: $(PYTHON)); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

run: $(VENV)/.installed
	$(BIN)/annotator demo --host $(HOST) --port $(PORT)

# Lint and format drift fail the build before the suite runs (CI runs exactly this).
test: $(VENV)/.installed-test /usr/bin/chromium
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The fast tier while working: no browser, no slow tests.
quick: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -p no:cacheprovider -m 'not slow and not browser'

bench: $(VENV)/.installed-test
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Extraction quality on every shared dev set, beside trafilatura alone in the same run.
DEV_SET ?= ../shared/samples/dev
score: $(VENV)/.installed-test
	$(BIN)/python bench/score_ingest.py --dev $(DEV_SET)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean-venv:
	rm -rf $(VENV)
