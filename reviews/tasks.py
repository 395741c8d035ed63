from pmis.queue import repeatable_task

from . import pdf_jobs, plan_updates, services


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


# Safe to run twice: a job already started or made is skipped.
@repeatable_task(max_retries=3)
def make_pdf(job_id: int) -> str:
    """Make one background PDF (reviews.pdf_jobs)."""
    return pdf_jobs.pdf_job_make(job_id)


# Safe to run twice: each job is made once, whoever finds it first.
@repeatable_task(max_retries=3)
def sweep_pdf_jobs() -> int:
    """Every five minutes: make PDFs whose task was lost; delete jobs a day old."""
    return pdf_jobs.pdf_jobs_sweep()
