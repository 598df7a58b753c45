# Canopy: `make up` runs the whole platform on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SERVICES := $(wildcard services/*)
STAMP  := $(VENV)/.installed

.PHONY: up test test-unit test-integration install migrate demo clean openapi

$(STAMP): $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e libs/contracts -e "libs/kit[test]" $(addprefix -e ,$(SERVICES))
	touch $(STAMP)

install: $(STAMP)

up: $(STAMP)
	$(BIN)/canopy up

test: $(STAMP)
	$(BIN)/python -m pytest

test-unit: $(STAMP)
	$(BIN)/python -m pytest -m "not integration"

test-integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

migrate: $(STAMP)
	$(BIN)/canopy migrate

demo: $(STAMP)
	$(BIN)/canopy demo

clean:
	rm -rf $(VENV) var
