import pytest

from pmis.celery import app as celery_app


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
