# The two commands in the README are the contract: `make run` and `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PYTHON := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1
PYTEST_ARGS ?=

.PHONY: install run serve demo test test-postgres test-services test-browser test-all lint format messages migrations bench bench-participation bench-workshops bench-indicators bench-opinions bench-polis bench-smoke bench-api api-schema api-contract

install: .venv/.synced node_modules/.installed

$(UV):
	python3 -m pip install --quiet --user "uv==$(UV_VERSION)" || python3 -m pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

demo: install
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PYTHON) manage.py collectstatic --no-input -v 0
	$(PYTHON) manage.py setup_demo --host $(HOST) --port $(PORT)

# The web server and one task worker; Ctrl+C stops both.
run: demo
	trap 'kill 0' EXIT; \
	$(PYTHON) manage.py worker --no-reload --interval 0.5 & \
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

# Production-like, on this machine only: gunicorn, DEBUG=0, JSON logs, on the demo database. The
# insecure development key is allowed here; a real deployment sets SECRET_KEY (docs/deployment.md).
serve: demo
	DEBUG=0 ALLOW_INSECURE_KEY=1 LOG_FORMAT=json $(PYTHON) -m gunicorn roadmap.wsgi \
		--pythonpath src --bind $(HOST):$(PORT) --workers 2 --timeout 60

test: install
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PYTHON) -m pytest -m "not browser and not services" -n 2 $(PYTEST_ARGS)

# The same suite on PostgreSQL; DATABASE_URL names a database the test runner may create.
test-postgres: install
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/roadmap_ci} \
		$(PYTHON) -m pytest -m "not browser and not services" -n 2 --create-db $(PYTEST_ARGS)

# Real-browser journeys and axe-core checks in Debian's Chromium (/usr/bin/chromium).
test-browser: install
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PYTHON) -m pytest -m browser -p no:xdist $(PYTEST_ARGS)

# Tests that need Redis and PostgreSQL running (.ci/run starts them): the Redis queue, shared
# cache and sessions, and the platform as several app processes and workers.
test-services: install
	$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PYTHON) -m pytest -m services -p no:xdist $(PYTEST_ARGS)

test-all: test test-postgres test-services test-browser

lint: install
	$(PYTHON) -m ruff check src tests benchmarks
	$(PYTHON) -m ruff format --check src tests benchmarks
	PYTHONPATH=src .venv/bin/lint-imports --no-cache
	$(PYTHON) -m mypy

format: install
	$(PYTHON) -m ruff format src tests benchmarks
	$(PYTHON) -m ruff check --fix src tests benchmarks

messages: install
	$(PYTHON) manage.py makemessages -l nb --ignore=".venv/*" --ignore="node_modules/*" --ignore="var/*" --ignore="benchmarks/*" --ignore="tests/*" -v 0

migrations: install
	$(PYTHON) manage.py makemigrations

# The demo's data catalogue against the DCAT-AP 3.0.1 and DCAT-AP-NO 2.0 shapes (docs/catalogue.md);
# STANDARDS names the folder with the shapes.
catalogue-check: install
	$(PYTHON) scripts/validate_catalogue.py --standards $${STANDARDS:-../shared/standards}
# The OpenAPI schema of /api/v1/, committed as the contract (a test fails while they differ).
api-schema: install
	$(PYTHON) manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

# schemathesis, every check on, against the demo served on API_CONTRACT_PORT (docs/api.md).
API_CONTRACT_PORT ?= 8201
api-contract: demo
	$(PYTHON) tests/contract/api_contract.py --port $(API_CONTRACT_PORT)

# Benchmarks are run on purpose, never by `make test` (docs/performance.md). The large
# database is generated once; delete it (or run benchmarks/generate.py --force) to rebuild.
BENCH_DATABASE ?= var/bench.sqlite3
BENCH_ARGS ?=
bench: install
	test -f $(BENCH_DATABASE) || $(PYTHON) benchmarks/generate.py --database $(BENCH_DATABASE)
	$(PYTHON) benchmarks/load.py --database $(BENCH_DATABASE) $(BENCH_ARGS)

# Participation at capital-city scale (500,000 users, 3,000,000 supports); see docs/performance.md.
BENCH_PARTICIPATION_DATABASE ?= var/bench-participation.sqlite3
bench-participation: install
	test -f $(BENCH_PARTICIPATION_DATABASE) || $(PYTHON) benchmarks/generate_participation.py --database $(BENCH_PARTICIPATION_DATABASE)
	$(PYTHON) benchmarks/participation_load.py --database $(BENCH_PARTICIPATION_DATABASE) $(BENCH_ARGS)
	$(PYTHON) benchmarks/support_hammer.py --database $(BENCH_PARTICIPATION_DATABASE)

# Indicators: 1,000,000-row CSV import, and the pages at 300 municipalities × 91 KPIs × 10 years.
BENCH_INDICATORS_DATABASE ?= var/bench-indicators.sqlite3
bench-indicators: install
	$(PYTHON) benchmarks/indicators_import.py
	test -f $(BENCH_INDICATORS_DATABASE) || $(PYTHON) benchmarks/indicators_generate.py --database $(BENCH_INDICATORS_DATABASE)
	$(PYTHON) benchmarks/indicators_pages.py --database $(BENCH_INDICATORS_DATABASE) $(BENCH_ARGS)

.PHONY: bench-catalogue catalogue-check
# The data catalogue streamed in full, and its pages, on the indicators' database (docs/performance.md).
bench-catalogue: install
	test -f $(BENCH_INDICATORS_DATABASE) || $(PYTHON) benchmarks/indicators_generate.py --database $(BENCH_INDICATORS_DATABASE)
	$(PYTHON) benchmarks/catalogue_stream.py --database $(BENCH_INDICATORS_DATABASE) $(BENCH_ARGS)

# Opinion maps: recompute at 50,000 × 2,000 with 5,000,000 votes against a dense baseline, and
# vote latency while the map is recomputed (docs/performance.md, "Opinion maps").
BENCH_OPINIONS_DATABASE ?= var/bench-opinions.sqlite3
# The opinion map against the groups Polis published (fails below the floors); POLIS_DATA to
# point at other Polis open-data folders.
POLIS_DATA ?=
bench-polis: install
	$(PYTHON) benchmarks/opinions_polis.py --check $(POLIS_DATA)

bench-opinions: install
	$(PYTHON) benchmarks/opinions_recompute.py
	$(PYTHON) benchmarks/opinions_votes.py --database $(BENCH_OPINIONS_DATABASE) $(BENCH_ARGS)

# Open API list pages of 100 rows on each benchmark database that exists (docs/performance.md, "Open API").
bench-api: install
	for database in $(BENCH_DATABASE) $(BENCH_INDICATORS_DATABASE) $(BENCH_PARTICIPATION_DATABASE); do \
		test ! -f $$database || $(PYTHON) benchmarks/api_pages.py --database $$database $(BENCH_ARGS) || exit 1; \
	done

# Workshop synthesis of 10,000 notes, and the board polled by 200 browsers; see docs/performance.md, "Workshops".
bench-workshops: install
	$(PYTHON) benchmarks/workshops_synthesis.py
	$(PYTHON) benchmarks/workshops_board.py $(BENCH_ARGS)

# Every benchmark on tiny data, so that a change that breaks one fails in CI (docs/performance.md,
# end). Fresh SQLite files under var/smoke/; only servers the scripts start on 127.0.0.1.
# opinions_polis.py is left out: it has no size and runs as bench-polis.
bench-smoke: install
	rm -rf var/smoke
	$(PYTHON) benchmarks/generate.py --smoke
	$(PYTHON) benchmarks/load.py --smoke
	$(PYTHON) benchmarks/profile_page.py --smoke --member /m/kviststad/portfolio/
	$(PYTHON) benchmarks/generate_participation.py --smoke
	$(PYTHON) benchmarks/participation_load.py --smoke --task-worker
	$(PYTHON) benchmarks/support_hammer.py --smoke
	$(PYTHON) benchmarks/indicators_import.py --smoke
	$(PYTHON) benchmarks/indicators_generate.py --smoke
	$(PYTHON) benchmarks/indicators_pages.py --smoke
	$(PYTHON) benchmarks/catalogue_stream.py --smoke
	$(PYTHON) benchmarks/opinions_recompute.py --smoke
	$(PYTHON) benchmarks/opinions_votes.py --smoke
	$(PYTHON) benchmarks/workshops_synthesis.py --smoke
	$(PYTHON) benchmarks/workshops_board.py --smoke
	$(PYTHON) benchmarks/tasks_throughput.py --smoke
	$(PYTHON) benchmarks/api_pages.py --smoke
	$(PYTHON) benchmarks/api_pages.py --smoke --database var/smoke/bench-indicators.sqlite3
	$(PYTHON) benchmarks/api_pages.py --smoke --database var/smoke/bench-participation.sqlite3
