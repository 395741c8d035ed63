"""The demo council, loaded once for every test of it that only reads it."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.indicators.factories import installation_policy_ensure

TODAY = datetime.date(2026, 11, 23)


def pytest_collection_modifyitems(items):
    """Under pytest-xdist the demo's tests run on one worker, which loads the council once."""
    for item in items:
        if item.nodeid.startswith("tests/demo/"):
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo council as at TODAY, with what load_demo printed; flushed after the package."""
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
        yield out.getvalue()
        call_command("flush", "--no-input", verbosity=0)
        installation_policy_ensure()
