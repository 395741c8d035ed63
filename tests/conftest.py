import pytest
from hypothesis import settings

from pmis.celery import app as celery_app

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
