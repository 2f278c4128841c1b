# Alexi: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true DEMO_MODE=true

.PHONY: run test install browser lint migrate stack code bench bench-casework bench-referrals clean-db help

help:
	@echo "make run    install, migrate, load demo data and serve http://127.0.0.1:8000"
	@echo "make test   install and run the whole test suite, ruff, bandit and migration checks"
	@echo "make stack  gunicorn + celery worker + beat against DATABASE_URL and REDIS_URL"
	@echo "make code   print the current second-factor code for the demo accounts"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "Chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium and chromium-driver with apt..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
		|| echo "Could not install Chromium with apt: the browser tests will be skipped (and fail in CI)."; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
		|| echo "Could not install Chromium with apt: the browser tests will be skipped (and fail in CI)."; \
	else \
		echo "No apt here: install Chromium at /usr/bin/chromium yourself, or the browser tests are skipped (and fail in CI)."; \
	fi

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving Alexi on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

code: install
	@$(DEV_ENV) $(BIN)/python manage.py demo_code

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level high
	$(BIN)/lint-imports
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	@# mypy loads the settings (django-stubs) but never connects to the database.
	DATABASE_URL=postgres://mypy@127.0.0.1/unused $(BIN)/mypy

test: install browser lint
	$(BIN)/python -m pytest

stack: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (and REDIS_URL) first: see .env.example"; exit 2; }
	@if [ -n "$$OWNER_DATABASE_URL" ]; then \
		role=$$($(BIN)/python -c "import os, urllib.parse; print(urllib.parse.urlsplit(os.environ['DATABASE_URL']).username)") && \
		DATABASE_URL="$$OWNER_DATABASE_URL" $(BIN)/python manage.py migrate --no-input && \
		DATABASE_URL="$$OWNER_DATABASE_URL" $(BIN)/python manage.py grant_app_role "$$role"; \
	else \
		$(BIN)/python manage.py migrate --no-input; \
	fi
	$(BIN)/python manage.py collectstatic --no-input
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A alexi worker --loglevel=INFO & \
	$(BIN)/celery -A alexi beat --loglevel=INFO --schedule .data/celerybeat-schedule & \
	$(BIN)/gunicorn alexi.wsgi:application --bind 127.0.0.1:8000 --workers 3 --access-logfile - \
		--access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms' & \
	wait

bench: install
	$(BIN)/python bench/run.py

bench-casework: install
	$(BIN)/python bench/casework.py

bench-referrals: install
	$(BIN)/python bench/referrals.py

bench-import: install
	$(BIN)/python bench/import.py

clean-db:
	rm -rf .data/pg .data/pg18
