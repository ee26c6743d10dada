# The two commands the README promises: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-clock install install-dev demo worker beat messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt

install-dev: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt

# Set up everything and serve the demo region on http://127.0.0.1:$(PORT)
# (`make run PORT=8001`): SQLite, a Celery worker and beat passing tasks
# through files in .run/ (no Redis), email printed to the console.
PORT ?= 8000
run: install
	PYTHON=$(PY) scripts/messages.sh
	DEBUG=true EMBEDDED_BROKER=true $(PY) manage.py migrate --no-input
	DEBUG=true EMBEDDED_BROKER=true $(PY) manage.py load_demo
	DEBUG=true PORT=$(PORT) PYTHON=$(PY) scripts/run.sh

# Install and run the whole test suite (SQLite, then PostgreSQL + Redis when available).
test: install-dev
	scripts/ensure-chromium.sh
	scripts/ensure-vnu.sh
	scripts/test.sh

# The SQLite suite again with the clock moved over a year ahead (Debian's faketime);
# CI runs it after `make test`. TEST_CLOCK_AT="2028-02-29 23:30:00" picks the moment.
test-clock: install-dev
	scripts/test-clock.sh

# After marking new strings: gather them into locale/cy/LC_MESSAGES/django.po, then translate them there.
messages: install
	PYTHON=$(PY) scripts/messages.sh update

worker:
	$(PY) -m celery -A brokerage worker --loglevel=info

beat:
	$(PY) -m celery -A brokerage beat --loglevel=info
