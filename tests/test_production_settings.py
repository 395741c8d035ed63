"""Production settings are chosen by the environment (DEBUG=false): hashed static files,
and no start with a missing or placeholder secret key. Each case loads the settings in a
fresh interpreter, as gunicorn would."""

import os
import subprocess
import sys

from tests.integration.conftest import ROOT

SHOW = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"


def load(**environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="pmis.settings", ALLOWED_HOSTS="pmis.example.org", **environment)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_serves_static_files_under_hashed_names():
    result = load(DEBUG="false", SECRET_KEY="a" * 50)
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage", result.stderr


def test_development_serves_the_source_files():
    assert load(DEBUG="true").stdout.strip() == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_refuses_to_start_without_a_secret_key():
    result = load(DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_the_example_environment_files_placeholder_key():
    result = load(DEBUG="false", SECRET_KEY="change-me")
    assert result.returncode != 0 and "SECRET_KEY is still the example's placeholder" in result.stderr
