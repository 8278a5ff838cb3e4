# portage-office — every command a developer or CI needs. `make run` and `make test` work on a
# fresh machine with only Python 3.11: they create .venv and install the locked dependencies.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | sha1sum | cut -c1-12)
MO_FILES := locale/fr/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.mo
PYTEST_ARGS ?=

.PHONY: help setup run serve test test-fast lint format messages compilemessages migrate seed bench lock ci clean

help:
	@echo "make run      set up, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test     set up and run the whole test suite"
	@echo "make lint     ruff check + ruff format --check"
	@echo "make messages extract translatable strings into locale/ (fr, en)"
	@echo "make bench    run the benchmarks in bench/"
	@echo "make lock     re-resolve requirements/lock.txt from pyproject.toml"

$(STAMP): requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP) compilemessages

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/python -m apps.core.i18n_compile $<

compilemessages: $(MO_FILES)

messages: $(STAMP)
	$(MANAGE) makemessages --locale fr --locale en --no-obsolete --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*"
	$(BIN)/python -m apps.core.i18n_fill_source locale/en/LC_MESSAGES/django.po
	@$(BIN)/python -c "import polib; c = polib.pofile('locale/fr/LC_MESSAGES/django.po'); print(f'French: {c.percent_translated()}% translated, {len(c.untranslated_entries())} to do, {len(c.fuzzy_entries())} fuzzy')"

migrate: setup
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

run: seed
	@echo "Serving on http://127.0.0.1:8000/ (admin: /admin/, portal: /portal/, API docs: /api/docs/)"
	$(MANAGE) runserver 127.0.0.1:8000

serve: setup
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	DJANGO_SETTINGS_MODULE=portage_office.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup
	DJANGO_SETTINGS_MODULE=portage_office.settings.test $(BIN)/python -m pytest -m "not e2e" -x -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	DJANGO_SETTINGS_MODULE=portage_office.settings.test $(BIN)/python -m bench.run

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/lock.txt

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache db.sqlite3 $(MO_FILES)
