# Everything starts from a fresh clone with only python3 (3.11+) and make.
VENV := .venv
PYTHON := $(VENV)/bin/python
UV := $(VENV)/bin/uv
EVNE := $(VENV)/bin/evne
UV_VERSION := 0.13.9
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# The demo is a development server on this machine: debug on, plain HTTP.
DEMO_ENV := DEBUG=true EVNE_SECURE=false
TEST_ENV := DEBUG=true EVNE_SECURE=false

.PHONY: install demo test test-sqlite test-postgres lint format bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	test -x $(UV) || $(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --reinstall-package evne
	touch $@

demo: install
	$(DEMO_ENV) $(EVNE) migrate --noinput
	$(DEMO_ENV) $(EVNE) demo --if-empty
	$(DEMO_ENV) $(EVNE) runserver 127.0.0.1:8000

test: test-sqlite test-postgres

test-sqlite: install
	$(TEST_ENV) $(PYTHON) -m pytest

# PostgreSQL runs when reachable; EVNE_REQUIRE_POSTGRES=1 (set by .ci/run) makes it mandatory.
test-postgres: install
	@if $(PYTHON) -c "import psycopg; psycopg.connect('$(POSTGRES_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(POSTGRES_TEST_URL))"; \
		$(TEST_ENV) DATABASE_URL=$(POSTGRES_TEST_URL) $(PYTHON) -m pytest; \
	elif [ "$${EVNE_REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "PostgreSQL is required (EVNE_REQUIRE_POSTGRES=1) but not reachable at $(POSTGRES_TEST_URL)"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (no server at $(POSTGRES_TEST_URL); set POSTGRES_TEST_URL to use another)"; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(EVNE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@for bench in $(filter-out bench/load.py,$(wildcard bench/*.py)); do $(TEST_ENV) $(PYTHON) $$bench || exit 1; done

# Needs GNU gettext; the compiled .mo files are committed so nobody else does.
messages: install
	cd src/evne && $(TEST_ENV) ../../$(EVNE) makemessages --locale nb --locale en --no-obsolete
	cd src/evne && $(TEST_ENV) ../../$(EVNE) compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
