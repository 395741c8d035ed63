# make demo: run PMIS with a demo council at http://127.0.0.1:8000/ (make demo PORT=8001: another port)
# make test: install what the tests need and run them all
# make reset: delete the database (the next make demo builds a new council); make clean: and the venv
# make lock: after changing requirements*.txt, pin every package with its hash in requirements*.lock
VENV := .venv
PY := $(VENV)/bin/python
PORT := 8000
# The tests in as many processes as the machine has cores; the browser tests stay together.
PYTEST_PARALLEL := -n auto --dist loadgroup

.PHONY: demo test browser pdf worker beat reset clean lock

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

# Exactly what CI tested: every package, dependencies included, pinned with its hashes in the
# lock files that make lock writes from requirements.txt and requirements-test.txt.
# --no-compile: Python compiles each module when it is first imported; compiling all of them is slower.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --no-compile --require-hashes

$(VENV)/.app: requirements.lock | $(PY)
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.test: requirements-test.lock | $(PY)
	$(PIP_INSTALL) -r requirements-test.lock
	touch $(VENV)/.app $@

# After changing requirements.txt or requirements-test.txt: pin the whole tree again.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check pip-tools==7.7.0
	$(LOCK) --output-file requirements.lock requirements.txt
	$(LOCK) --output-file requirements-test.lock requirements-test.txt

# Migrates, loads the demo council (the first time), serves it and prints the accounts last.
demo: $(VENV)/.app
	$(PY) manage.py rundemo 127.0.0.1:$(PORT)

# The browser tests drive Debian's Chromium; as root, install it if it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "Chromium is not installed, so the browser tests will be skipped (apt-get install chromium)."

# WeasyPrint (the PDFs) draws text with Debian's Pango and needs a font with every letter
# (DejaVu, for a Welsh ŵ or a Polish Ł); CairoSVG (the Word report's charts) draws with
# Debian's Cairo. As root, install them if missing.
pdf:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libcairo.so.2 && fc-list | grep -qi dejavu; } \
		|| { [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core fontconfig >/dev/null; } \
		|| echo "Pango, Cairo or DejaVu fonts are missing, so PDFs and the Word report's charts cannot be made (apt-get install libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core)."

test: $(VENV)/.test browser pdf
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) --cov

worker: $(VENV)/.app
	$(VENV)/bin/celery -A pmis worker --loglevel=INFO

# The scheduled jobs (settings.CELERY_BEAT_SCHEDULE): run exactly one beat per installation.
beat: $(VENV)/.app
	$(VENV)/bin/celery -A pmis beat --loglevel=INFO --schedule var/celerybeat-schedule

reset:
	rm -rf var

clean: reset
	rm -rf $(VENV)
