# Manage Arrears: `make run` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
# `python3 -m uv` works whether or not pip put uv's script on PATH.
UV := python3 -m uv
RUN := $(UV) run --frozen --quiet
ROLE ?= rent
PROFILE ?= run
# pytest exits 5 when it collects nothing: for us that is a broken suite, never a pass.
PYTEST = run_pytest() { \
	status=0; $(RUN) pytest "$$@" || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is misconfigured" >&2; exit 1; fi; \
	return $$status; }; run_pytest

.PHONY: help install run test lint unit integration e2e bench token seed clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: ## Install uv, every dependency from the lock file, and the Debian libraries PDFs need
	@infra/local/system-packages.sh
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet
	@# GOV.UK Frontend's assets for the frontend, from package-lock.json; again only when the
	@# lock file is newer than what npm last installed.
	@if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

run: install ## Build the simulated UH database if absent and start every service
	@$(RUN) python infra/local/run.py

seed: install ## Rebuild the simulated UH database (PROFILE=test|run|bench)
	@$(RUN) uh-gateway-seed --profile $(PROFILE) --force

lint: install ## ruff and mypy
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	@# One run per service: each has its own tests/conftest.py, which mypy cannot tell apart.
	$(RUN) mypy shared infra bench services/uh-gateway
	$(RUN) mypy services/income-api
	$(RUN) mypy services/comms-api
	$(RUN) mypy services/fake-notify
	$(RUN) mypy services/frontend

unit: install ## The test suite (no lint)
	@$(PYTEST) -n 2 shared/tests services/uh-gateway/tests services/income-api/tests services/comms-api/tests services/fake-notify/tests \
		services/frontend/tests

test: lint unit ## Lint and the whole test suite

integration: install ## The service tests again on a throwaway PostgreSQL
	@export MA_TEST_POSTGRES=1; $(PYTEST) -n 2 services/uh-gateway/tests services/income-api/tests \
		services/comms-api/tests/messages services/comms-api/tests/documents \
		services/comms-api/tests/queues

e2e: install ## The browser tests: every service as `make run` starts it, driven by Debian's Chromium
	@infra/local/browser-packages.sh
	@$(PYTEST) services/frontend/tests_e2e

bench: install ## Benchmarks (figures go in bench/RESULTS.md)
	@$(RUN) python bench/run_all.py

token: install ## Print a dev bearer token: make token ROLE=rent|leasehold|team-leader|read-only|service
	@$(RUN) ma-token $(ROLE)

clean: ## Remove local databases and caches
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
