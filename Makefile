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

# The production topology without Docker (see README, "Production topology"): every service's api,
# relay and consumer on PostgreSQL and RabbitMQ behind nginx; Prometheus too when it is installed.
.PHONY: up-prod deploy-config test-system
UP_PROD_ARGS ?= $(if $(wildcard /usr/bin/prometheus),--prometheus 9090)

up-prod: $(STAMP)
	$(BIN)/canopy up-prod $(UP_PROD_ARGS)

# Rewrites the files rendered for the installed services (the gateway and the RabbitMQ definitions).
deploy-config: $(STAMP)
	$(BIN)/canopy gateway-config --output deploy/nginx/nginx.conf
	$(BIN)/canopy rabbitmq-definitions --output deploy/rabbitmq/definitions.json

test-system: $(STAMP)
	$(BIN)/python -m pytest tests/system

# Every benchmark against the real PostgreSQL and RabbitMQ; results go to docs/performance.md.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench
