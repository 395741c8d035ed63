from celery import shared_task
from django.db import DatabaseError

from . import services


# Safe to run twice (the day's email to each owner has a key): acknowledged when done, and
# given back to the queue if its worker is lost.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def remind_overdue_actions() -> int:
    """Daily: one email per owner listing their overdue actions (idempotent per owner and day)."""
    return services.overdue_actions_remind()
