"""PDFs of packs and exception reports: small ones drawn at once, large ones made in the
background (reviews.pdf_jobs) with a page showing how it is going, then the download. Only
the person who asked sees a job."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from indicators.permissions import require
from pmis import pdfs

from .. import pdf_jobs
from ..models import PdfJob, PdfJobState


def pdf_or_job(request, template: str, context: dict, *, filename: str, title: str, back_url: str, rows: int):
    """The page as a PDF download, or, for a page of many rows, a background job and its page."""
    if not pdf_jobs.is_large(rows):
        return pdfs.pdf_response(request, template, context, filename=filename)
    html = render_to_string(template, context, request=request)
    job = pdf_jobs.pdf_job_start(
        html=html,
        base_url=request.build_absolute_uri("/"),
        title=title,
        filename=filename,
        back_url=back_url,
        by=request.user,
    )
    return redirect("reviews:pdf-job", job.pk)


def _job(request, pk: int) -> PdfJob:
    job = get_object_or_404(PdfJob.objects.defer("html", "pdf"), pk=pk)
    require(job.requested_by_id == request.user.pk)
    return job


@login_required
def pdf_job(request, pk: int):
    job = _job(request, pk)
    return render(request, "reviews/pdf_job.html", {"job": job, "ready": job.state == PdfJobState.DONE})


@login_required
def pdf_job_download(request, pk: int):
    job = _job(request, pk)
    if job.state != PdfJobState.DONE:
        return redirect("reviews:pdf-job", job.pk)
    content = PdfJob.objects.filter(pk=job.pk).values_list("pdf", flat=True).get()
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
