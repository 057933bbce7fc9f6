# Two commands set everything up on a fresh clone:
#   make demo   create .venv, install unadocs and run the main job on the example
#   make test   install the test extras and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/unadocs demo -o demo

test: install
	$(BIN)/python -m pytest

# The quick benchmarks; bench/certificates.py -n 1000 (minutes) measures batch issuing.
bench: install
	$(BIN)/python bench/import_time.py
	$(BIN)/python bench/agreement.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache
