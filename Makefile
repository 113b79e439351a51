# The commands: `make run` (SQLite, no services), `make test` (PostgreSQL and Redis) and
# `make serve` (the production stack on the PostgreSQL and Redis you name).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Where `make run` and `make serve` listen; links in emails follow it (settings.PORTAL_BASE_URL).
export PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@localhost:5432/network_portal
TEST_REDIS_URL ?= redis://localhost:6379/0

.PHONY: run serve test lock lint format migrations-check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The exact versions and hashes of every package (`make lock` writes them from pyproject.toml);
# a changed lock file reinstalls.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(BIN)/python -m pip install -q --require-hashes -r requirements-test.lock
	touch $@

# The demo: tasks run in-process, and runserver_beat runs the beat schedule in a thread.
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver_beat 127.0.0.1:$(PORT)

# The production stack of README.md, "Production": gunicorn, a Celery worker and beat (Procfile)
# under honcho; Ctrl-C stops them all. Needs the variables checked below.
SERVE_REQUIRED := DJANGO_SECRET_KEY DATABASE_URL REDIS_URL DJANGO_ALLOWED_HOSTS
serve: export DJANGO_DEBUG := false
serve: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
serve: $(VENV)/.installed
	@missing=; for name in $(SERVE_REQUIRED); do \
		[ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
		echo "make serve runs the production settings (DJANGO_DEBUG=false): set$$missing." >&2; \
		echo "See README.md, 'make serve'. A secret key:" \
			"$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2; \
		exit 2; \
	fi
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py check --deploy
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/python manage.py check_services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

# Rewrites the lock files from pyproject.toml (keeping the versions already locked when allowed).
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"
lock: $(VENV)/.installed-test
	$(UV_COMPILE) --output-file requirements.lock
	$(UV_COMPILE) --extra test --constraint requirements.lock --output-file requirements-test.lock

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

# The benchmarks in turn; the reminders and the weekly email get databases of their own
# (<bench database>_coaching, <bench database>_digest).
bench: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/directory.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/alerts.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench}_coaching $(BIN)/python bench/reminders.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/similar.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} $(BIN)/python bench/signup.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench}_digest $(BIN)/python bench/digest.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench}_network $(BIN)/python bench/network.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles celerybeat-schedule*
