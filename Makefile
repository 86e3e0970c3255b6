# GovLearn: `make run` sets up and serves the site; `make test` runs the whole suite, lint and checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CONSTRAINTS := requirements/constraints.txt
MANAGE := $(BIN)/python manage.py

.PHONY: run test install install-dev messages lint format migrations-check e2e clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compile the translation catalogues with Babel (no system gettext needed).
messages: $(VENV)/.installed
	@for po in $$(find govlearn content courses playbook community workshops -name '*.po' -path '*/LC_MESSAGES/*'); do \
		$(BIN)/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo >/dev/null || exit 1; \
	done

run: export DJANGO_DEBUG = 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install messages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) setup_site
	$(MANAGE) load_content
	$(MANAGE) create_local_admin
	@echo "GovLearn is at http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	@# Scheduled pages go live within a minute, as cron makes them in production; stopped with the server.
	@$(MANAGE) publish_scheduled_loop & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The browser tests run in a pytest session of their own: their live server and transactional database
# must start from the migrated data, not from whatever the unit tests' flushes left behind.
test: install-dev messages lint migrations-check
	$(BIN)/pytest --ignore=tests/e2e $(PYTEST_ARGS) $(if $(JUNIT),--junitxml=$(JUNIT)-unit.xml)
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS) $(if $(JUNIT),--junitxml=$(JUNIT)-e2e.xml)

e2e: install-dev messages
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
