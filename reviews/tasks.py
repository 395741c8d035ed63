from pmis.queue import repeatable_task

from . import plan_updates, services


# Safe to run twice: the day's email to each owner has a key.
@repeatable_task(max_retries=8)
def remind_overdue_actions() -> int:
    """Daily: one email per owner listing their overdue actions (idempotent per owner and day)."""
    return services.overdue_actions_remind()


# Safe to run twice: the week's email to each owner has a key.
@repeatable_task(max_retries=8)
def remind_plan_updates() -> int:
    """Daily: an email to each owner of action plans awaiting the quarter's update, at most once a week."""
    return plan_updates.plan_updates_remind()
