# make demo: run PMIS with a demo council at http://127.0.0.1:8000/
# make test: install what the tests need and run them all
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test browser worker beat clean

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

$(VENV)/.app: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(VENV)/.app $@

demo: $(VENV)/.app
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_national_indicators
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium; as root, install it if it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "Chromium is not installed, so the browser tests will be skipped (apt-get install chromium)."

test: $(VENV)/.test browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

worker: $(VENV)/.app
	$(VENV)/bin/celery -A pmis worker --loglevel=INFO

# The scheduled jobs (settings.CELERY_BEAT_SCHEDULE): run exactly one beat per installation.
beat: $(VENV)/.app
	$(VENV)/bin/celery -A pmis beat --loglevel=INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var
