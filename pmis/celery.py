import os

from celery import Celery

from . import logs  # noqa: F401  (tasks carry the request id of whoever queued them)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmis.settings")

app = Celery("pmis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
