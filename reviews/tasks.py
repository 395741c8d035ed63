from pmis.queue import repeatable_task

from . import services


# Safe to run twice: the day's email to each owner has a key.
@repeatable_task(max_retries=8)
def remind_overdue_actions() -> int:
    """Daily: one email per owner listing their overdue actions (idempotent per owner and day)."""
    return services.overdue_actions_remind()
