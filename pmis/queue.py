"""The one way to start background work: queue a Celery task once the change commits.

Tasks are named as Celery names them ("indicators.tasks.ratings_check"), so a services
module never imports its tasks module (which imports the services).
"""

import importlib
import logging

from celery import shared_task
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task_name: str, *args) -> None:
    """Queue the task called task_name with args once the current transaction commits (at
    once outside a transaction).

    A change never fails because the broker (Redis) cannot be reached: the failure is
    logged and the work waits for a scheduled sweep (CELERY_BEAT_SCHEDULE) where the task
    has one, so the work a task starts must be recoverable that way or from the page.
    """
    module, _, name = task_name.rpartition(".")
    task = getattr(importlib.import_module(module), name)  # fail now, not after commit, on a wrong name
    transaction.on_commit(lambda: _send(task, args))


def _send(task, args: tuple) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker's errors vary by transport; the change itself is saved
        logger.warning("Could not queue %s%r; it waits for a scheduled sweep, if any", task.name, args, exc_info=True)


def repeatable_task(*, max_retries: int, retry_backoff_max: int = 600):
    """A Celery task that is safe to run twice, declared as such: acknowledged only once it
    has run, and given back to the queue if its worker is lost (so a worker that dies part
    way costs a repeat, never the work); retried with backoff while the database is
    unreachable. Say beside each task why running it twice is safe."""
    return shared_task(
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(DatabaseError,),
        retry_backoff=True,
        retry_backoff_max=retry_backoff_max,
        max_retries=max_retries,
    )
