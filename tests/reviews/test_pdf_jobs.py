"""Large PDFs are made in the background: asking for one keeps the page and queues its making;
its page shows how it is going, then the download; only its requester sees it; the sweep
makes jobs whose task was lost and deletes old ones."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reviews import pdf_jobs
from reviews.models import PdfJob, PdfJobState
from tests.reviews.test_meetings import meeting_world, prt
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield meeting_world()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


def test_a_large_pack_is_made_in_the_background_then_downloaded(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.PMIS_PDF_BACKGROUND_ROWS = 2
    meeting = prt(world)
    client.force_login(world.people["scrutiny"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reviews:meeting-pdf", args=[meeting.pk]))
    job = PdfJob.objects.get()
    assert response["Location"] == reverse("reviews:pdf-job", args=[job.pk])
    # With no broker the task ran at once: the page offers the download.
    page = client.get(response["Location"]).content.decode()
    assert "Your PDF is ready" in page and reverse("reviews:pdf-job-download", args=[job.pk]) in page
    pdf = client.get(reverse("reviews:pdf-job-download", args=[job.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].endswith('.pdf"')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Title H1" in text and "Title L1" not in text
    job.refresh_from_db()
    assert job.html == "" and job.requested_by == world.people["scrutiny"]
    # Someone else cannot see it or download it.
    client.force_login(world.people["chief"])
    assert client.get(reverse("reviews:pdf-job", args=[job.pk])).status_code == 403
    assert client.get(reverse("reviews:pdf-job-download", args=[job.pk])).status_code == 403


def test_a_small_pack_downloads_at_once(client, world, settings):
    settings.PMIS_PDF_BACKGROUND_ROWS = 1000
    client.force_login(world.people["scrutiny"])
    response = client.get(reverse("reviews:meeting-pdf", args=[prt(world).pk]))
    assert response["Content-Type"] == "application/pdf" and not PdfJob.objects.exists()


def test_the_large_exception_report_is_made_in_the_background(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.PMIS_PDF_BACKGROUND_ROWS = 2
    client.force_login(world.people["chief"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reviews:exception-report"), {"period": world.quarter.pk, "export": "pdf"})
    job = PdfJob.objects.get()
    assert response["Location"] == reverse("reviews:pdf-job", args=[job.pk])
    assert job.title == "Exception report: Whole council, 2025/26 Q2" and job.state == PdfJobState.DONE
    assert job.back_url == f"{reverse('reviews:exception-report')}?period={world.quarter.pk}"


def test_a_job_waiting_shows_its_progress_and_the_sweep_makes_it(client, world, broker_down):
    client.force_login(world.people["performance"])
    job = pdf_jobs.pdf_job_start(
        html="<html lang='en-GB'><head><title>Pack</title></head><body><p>Gŵyr</p></body></html>",
        base_url="http://testserver/",
        title="Homes PRT",
        filename="homes.pdf",
        back_url="/",
        by=world.people["performance"],
    )
    page = client.get(reverse("reviews:pdf-job", args=[job.pk])).content.decode()
    assert "Your PDF is being made" in page and "Waiting to start." in page and 'role="status"' in page
    assert client.get(reverse("reviews:pdf-job-download", args=[job.pk]))["Location"] == reverse(
        "reviews:pdf-job", args=[job.pk]
    )
    later = timezone.now() + datetime.timedelta(minutes=15)
    assert pdf_jobs.pdf_jobs_sweep(now=later) == 1
    job.refresh_from_db()
    assert job.state == PdfJobState.DONE and bytes(job.pdf).startswith(b"%PDF")
    assert pdf_jobs.pdf_jobs_sweep(now=later) == 0  # made once
    pdf_jobs.pdf_jobs_sweep(now=later + datetime.timedelta(days=1))
    assert not PdfJob.objects.exists()


def test_the_pack_draws_each_exceptions_trend_on_the_page_and_in_the_pdf(client, world):
    meeting = prt(world)
    client.force_login(world.people["scrutiny"])
    body = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    exceptions = body.split('id="pack-exceptions"')[1].split("</table>")[0]
    chart = exceptions.split('aria-labelledby="pack-trend-h1"')[1].split("</svg>")[0]
    assert '<title id="pack-trend-h1">H1: recent figures</title>' in chart
    assert "2025/26 Q1: 40" in chart  # the figures read out, as on the scorecard
    # The PDF is drawn from the same page: WeasyPrint draws the SVG as vector paths, marked
    # as a figure, with the sparkline's own stroke (15 tenths of a point wide).
    pdf = PdfReader(io.BytesIO(client.get(reverse("reviews:meeting-pdf", args=[meeting.pk])).content))
    drawn = b"".join(page.get_contents().get_data() for page in pdf.pages)
    assert b"/Figure" in drawn and b"\n15 w\n" in drawn
