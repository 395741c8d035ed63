"""Large PDFs made in the background. The page's view renders its HTML as it would for the
browser (its permission checks and its reader's sections), and pdf_job_start keeps it and
queues `reviews.tasks.make_pdf`; the task draws the PDF with pmis.pdfs and keeps it; the
job's page says how it is going and, once it is ready, offers the download. With no broker
the task runs at once, in the request. The sweep (`reviews.tasks.sweep_pdf_jobs`) makes the
jobs whose task was lost, and deletes jobs a day old with their PDFs.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pmis import pdfs
from pmis.queue import enqueue_after_commit

from .models import PdfJob, PdfJobState

logger = logging.getLogger(__name__)
KEPT_FOR = datetime.timedelta(days=1)


def is_large(rows: int) -> bool:
    """Whether a page of this many rows is made in the background (PMIS_PDF_BACKGROUND_ROWS)."""
    return rows > settings.PMIS_PDF_BACKGROUND_ROWS


def pdf_job_start(*, html: str, base_url: str, title: str, filename: str, back_url: str, by) -> PdfJob:
    """Keep a rendered page and queue the making of its PDF."""
    job = PdfJob.objects.create(
        requested_by=by,
        requested_at=timezone.now(),
        title=title[:300],
        filename=filename[:200],
        back_url=back_url[:2000],
        html=html,
        base_url=base_url,
    )
    enqueue_after_commit("reviews.tasks.make_pdf", job.pk)
    return job


def pdf_job_make(job_id: int) -> str:
    """Make the job's PDF, unless another worker has started it or it is made; the state it
    ends in. A drawing error marks the job failed (and is logged) rather than retried."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id, state=PdfJobState.QUEUED).first()
        if job is None:
            return "skipped"
        job.state, job.started_at = PdfJobState.MAKING, timezone.now()
        job.save(update_fields=["state", "started_at"])
    try:
        content = pdfs.pdf_bytes(job.html, base_url=job.base_url)
    except Exception:
        logger.exception("Could not make the PDF of job %s", job_id)
        PdfJob.objects.filter(pk=job_id).update(state=PdfJobState.FAILED, finished_at=timezone.now())
        return PdfJobState.FAILED
    PdfJob.objects.filter(pk=job_id).update(state=PdfJobState.DONE, pdf=content, html="", finished_at=timezone.now())
    return PdfJobState.DONE


def pdf_jobs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Make the jobs left waiting a while (their task lost to a broker outage) and those whose
    worker died while making them; delete jobs older than a day. Returns how many were made."""
    now = now or timezone.now()
    PdfJob.objects.filter(requested_at__lt=now - KEPT_FOR).delete()
    stuck = now - datetime.timedelta(seconds=settings.PMIS_PDF_STUCK_SECONDS)
    PdfJob.objects.filter(state=PdfJobState.MAKING, started_at__lt=stuck).update(state=PdfJobState.QUEUED)
    waiting = PdfJob.objects.filter(state=PdfJobState.QUEUED, requested_at__lt=stuck).values_list("pk", flat=True)
    return sum(pdf_job_make(pk) == PdfJobState.DONE for pk in list(waiting))
