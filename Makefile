# DX Academy. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MO := app/translations/vi/LC_MESSAGES/messages.mo
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run reset-demo worker test lint bench bench-admin translations extract-messages figures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(MO): app/translations/vi/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d app/translations

translations: $(MO)

instance/secret_key: | $(BIN)/python
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

run: $(VENV)/.installed $(MO) instance/secret_key
	@# the migrations' log goes to a file, and is shown only if the upgrade fails
	SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask db upgrade 2> instance/upgrade.log \
		|| (cat instance/upgrade.log; exit 1)
	SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask content import
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	@SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask demo
	SECRET_KEY=$$(cat instance/secret_key) BIND=127.0.0.1:$(PORT) \
		$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# the demo afresh: a new SQLite database, as on the first `make run`
reset-demo:
	rm -f instance/dx-academy.sqlite
	$(MAKE) run

worker: $(VENV)/.installed $(MO) instance/secret_key
	SECRET_KEY=$$(cat instance/secret_key) $(BIN)/flask jobs worker

test: $(VENV)/.installed-dev $(MO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	env -u TEST_DATABASE_URL $(BIN)/pytest -n 2
	if [ -n "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest -n 2 -m "not browser"; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed $(MO)
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/studio.py
	$(BIN)/python bench/certificates.py

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k _ln:1,2 -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

figures: $(VENV)/.installed-dev
	$(BIN)/python figures/render.py $(ONLY)

clean:
	rm -rf $(VENV) $(MO) .pytest_cache .ruff_cache

bench-admin: $(VENV)/.installed $(MO)
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/dxa_bench} \
		$(BIN)/python bench/admin.py
