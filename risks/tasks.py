from pmis.queue import repeatable_task

from . import services


# Safe to run twice: the week's email to each owner has a key.
@repeatable_task(max_retries=8)
def remind_overdue_reviews() -> int:
    """Daily: an email to each owner of risks whose review is overdue, at most once a week."""
    return services.overdue_reviews_remind()
