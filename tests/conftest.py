import pytest
from django.core.cache import cache
from hypothesis import settings
from kombu import pools

from organisation.models import Role
from pmis.celery import app as celery_app
from tests.indicators.factories import installation_policy_ensure
from tests.organisation.factories import UserFactory

# Timing varies on shared CI machines; the properties, not the speed, are under test.
settings.register_profile("pmis", deadline=None)
settings.load_profile("pmis")


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Run Celery tasks in-process, except in integration tests that use a real worker."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def performance(client):
    """A member of the performance team, signed in to the client."""
    user = UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    """A superuser (the council's IT, in an emergency) in the performance team, signed in to
    the client: the only people the Django admin lets in."""
    user = UserFactory(username="root.admin", is_staff=True, is_superuser=True, roles=[Role.PERFORMANCE_TEAM])
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public answers are cached by a version of the data, which can repeat between tests
    whose data was rolled back."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def broker_down(monkeypatch):
    """Celery sends tasks to a Redis that is not there (nothing listens on port 1), and
    gives up at once."""
    closed = "redis://127.0.0.1:1/0"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", closed)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_transport_options, conf.task_publish_retry)
    conf.task_always_eager = False
    conf.broker_url = closed
    conf.broker_transport_options = {"max_retries": 0}
    conf.task_publish_retry = False
    _new_connections()
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_transport_options, conf.task_publish_retry = saved
    _new_connections()


def _new_connections():
    """Drop Celery's pooled broker connections, so the next task uses the broker now set."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _installation_policy(request):
    """Every rating needs the installation tolerance policy, which the migrations record but
    a transactional test's flush removes: give it back to each such test (they run after
    all the others)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    installation_policy_ensure()
    yield


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (make test), the browser tests run on one worker, which starts
    Chromium and the live server once; every other test goes to whichever worker is free."""
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.xdist_group("browser"))
