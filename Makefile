# The two commands: `make run` (SQLite, no services) and `make test` (PostgreSQL and Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@localhost:5432/network_portal
TEST_REDIS_URL ?= redis://localhost:6379/0

.PHONY: run test lint format migrations-check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/python manage.py check_services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

# Needs gettext (apt-get install gettext); the compiled .mo files are committed.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l fr -l es --no-obsolete --ignore=.venv --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The three benchmarks in turn; the reminders get a database of their own (<bench database>_coaching).
bench: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/directory.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/alerts.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench}_coaching $(BIN)/python bench/reminders.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
