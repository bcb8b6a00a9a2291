# Meldpunt. `make up` runs the whole platform on this machine, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STATE := .meldpunt
SHARED ?= ../shared

.PHONY: install up test test-unit e2e eval bench lock contracts lint clean

install: $(VENV)/.installed $(STATE)/cache/deduce/.built

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

# deduce builds its lookup structures once (about two minutes); every process then loads the pickle.
$(STATE)/cache/deduce/.built: $(VENV)/.installed
	$(BIN)/meldpunt cache
	touch $@

up: install
	$(BIN)/meldpunt up

test: install
	$(BIN)/python -m pytest -q

test-unit: install
	$(BIN)/python -m pytest -q tests/unit tests/contract

eval: install
	$(BIN)/python $(SHARED)/eval/score.py --raw $(SHARED)/data/dev-reports.jsonl \
	  --labels $(SHARED)/data/dev-labels.jsonl \
	  --anonymize "$(BIN)/meldpunt anonymize" --route "$(BIN)/meldpunt route" --workdir $(CURDIR)
	@# The project's own held-out sets (invented, labelled; tests/fixtures/heldout/README.md).
	for set in a b c; do [ -f tests/fixtures/heldout/$$set-reports.jsonl ] || continue; echo "== held-out set $$set"; \
	  $(BIN)/python $(SHARED)/eval/score.py --raw tests/fixtures/heldout/$$set-reports.jsonl \
	  --labels tests/fixtures/heldout/$$set-labels.jsonl \
	  --anonymize "$(BIN)/meldpunt anonymize" --route "$(BIN)/meldpunt route" --workdir $(CURDIR); done

bench: install
	$(BIN)/python -m benchmarks

contracts: install
	$(BIN)/meldpunt contracts

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

lint: install
	$(BIN)/ruff check contracts services tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(STATE)/cache
