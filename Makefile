# Canopy: `make up` runs the whole platform on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SERVICES := $(wildcard services/*)
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
RUNTIME_LOCK := requirements-runtime.lock
CLIENTS := clients/web[test]
LOCAL_PACKAGES := libs/contracts libs/kit[test] $(SERVICES) $(CLIENTS)
UV_VERSION := 0.13.8
UV     := $(BIN)/uv

.PHONY: up test test-unit test-integration test-fuzz install migrate demo clean openapi

# Installs are reproducible: every third-party package at the version and hash requirements.lock
# names (the test tools and the locking tool too), then our own packages in place with nothing more
# fetched; `pip check` fails if the lock lacks what a pyproject.toml asks for (run `make lock`).
$(STAMP): $(LOCK) $(wildcard libs/*/pyproject.toml services/*/pyproject.toml clients/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation $(foreach package,$(LOCAL_PACKAGES),-e "$(package)")
	$(BIN)/pip check || { echo "requirements.lock does not satisfy a pyproject.toml: run make lock" >&2; exit 1; }
	touch $(STAMP)

install: $(STAMP)

# The lock files, from every pyproject.toml (docs/adr/0016-locked-dependencies.md). `make lock` after
# changing a dependency keeps every other pin; `make upgrade` moves all to the newest allowed.
# requirements-runtime.lock (what the images install) is the same versions without the test tools.
LOCK_TOOLS := pip setuptools>=68 uv==$(UV_VERSION)
LOCK_OPTIONS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
	--no-emit-package canopy-contracts --no-emit-package canopy-kit --no-emit-package canopy-web \
	$(foreach service,$(notdir $(SERVICES)),--no-emit-package canopy-$(service))
.PHONY: lock upgrade

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

lock: $(UV)
	printf -- '%s\n' $(addprefix "-e ./,$(addsuffix ",$(LOCAL_PACKAGES))) $(addprefix ",$(addsuffix ",$(LOCK_TOOLS))) \
		| $(UV) pip compile - $(LOCK_OPTIONS) $(LOCK_UPGRADE) -o $(LOCK)
	printf -- '%s\n' $(addprefix "-e ./,$(addsuffix ",$(subst [test],,$(LOCAL_PACKAGES)))) \
		$(addprefix ",$(addsuffix ",$(filter-out uv==%,$(LOCK_TOOLS)))) \
		| $(UV) pip compile - $(LOCK_OPTIONS) -c $(LOCK) -o $(RUNTIME_LOCK)

upgrade:
	$(MAKE) lock LOCK_UPGRADE=--upgrade
	$(MAKE) install

up: $(STAMP)
	$(BIN)/canopy up

test: $(STAMP)
	$(BIN)/python -m pytest

test-unit: $(STAMP)
	$(BIN)/python -m pytest -m "not integration"

test-integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

# The fuzz tier alone (schemathesis against every service's document, a few minutes); `make test` runs it too.
test-fuzz: $(STAMP)
	$(BIN)/python -m pytest -m fuzz

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

# The fault tier alone (also part of `make test`): its own PostgreSQL and RabbitMQ, faults injected
# under load, docs/reliability.md rewritten (docs/adr/0018-fault-tier.md).
.PHONY: test-faults
test-faults: $(STAMP)
	$(BIN)/python -m pytest tests/faults

# Every benchmark against the real PostgreSQL and RabbitMQ; results go to docs/performance.md.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench
