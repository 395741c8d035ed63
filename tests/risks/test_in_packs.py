"""Risks in packs and exception reports through reviews.pack_sections: a published pack keeps
the scope's risks as they stood; the exception report's Excel and PDF carry them; only those
who read the registers see them."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from indicators.models import Period
from organisation.models import Role
from reviews import services
from reviews.models import Meeting, MeetingKind
from risks.services import risk_review
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import PortfolioFactory, ServiceFactory, UserFactory
from tests.reviews.builders import years

from .builders import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    years(2025)
    keeper = UserFactory(roles=[Role.PERFORMANCE_TEAM])
    service = ServiceFactory()
    portfolio = PortfolioFactory()
    portfolio.services.add(service)
    indicator = IndicatorFactory(service=service, portfolio=portfolio)
    high = risk(by=keeper, owner=keeper, title="Depot floods", residual=(5, 4), indicators=[indicator])
    low = risk(by=keeper, owner=keeper, title="Paint wears", residual=(1, 2), indicators=[indicator])
    meeting = Meeting.objects.create(
        kind=MeetingKind.PORTFOLIO_PRT,
        title="Housing PRT",
        date=datetime.date(2026, 2, 2),
        period=Period.objects.get_by_label("2025/26 Q3"),
        portfolio=portfolio,
    )
    return keeper, portfolio, high, low, meeting


def test_a_published_pack_keeps_the_risks_as_they_stood(client, scene):
    keeper, _, high, low, meeting = scene
    services.pack_publish(meeting=meeting, by=keeper, today=datetime.date(2026, 1, 20))
    # After publishing, the low risk rises and the high one falls below appetite.
    risk_review(risk=low, residual_likelihood=2, residual_impact=2, controls="Pumps", by=keeper)
    risk_review(risk=high, residual_likelihood=1, residual_impact=1, controls="Pumps", by=keeper)
    client.force_login(UserFactory(roles=[Role.CHIEF_OFFICER]))
    page = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    section = page[page.index('id="risk-exceptions-heading"') :]
    assert "Depot floods" in section and "Paint wears" not in section
    assert "as the registers stood when this version of the pack was published" in section
    book = load_workbook(io.BytesIO(client.get(reverse("reviews:meeting-xlsx", args=[meeting.pk])).content))
    rows = list(book["Risks above appetite or rising"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[6]) for r in rows] == [(high.reference, "Depot floods", "Above appetite")]
    # A reissue takes the registers as they stand now: the low risk rose from 2 to 4.
    services.pack_reissue(meeting=meeting, reason="Risks reviewed", by=keeper, today=datetime.date(2026, 1, 21))
    page = client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    section = page[page.index('id="risk-exceptions-heading"') :]
    assert "Paint wears" in section and "Rising from 2" in section and "Depot floods" not in section
    # Officers, who do not read the registers, see no risks in the pack or its workbook.
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert "risk-exceptions" not in client.get(reverse("reviews:meeting", args=[meeting.pk])).content.decode()
    book = load_workbook(io.BytesIO(client.get(reverse("reviews:meeting-xlsx", args=[meeting.pk])).content))
    assert "Risks above appetite or rising" not in book.sheetnames


def test_the_exception_reports_excel_and_pdf_carry_the_risks(client, scene):
    _, portfolio, high, _, _ = scene
    url = reverse("reviews:exception-report")
    query = {"scope": "portfolio", "pk": portfolio.pk}
    client.force_login(UserFactory(roles=[Role.CHIEF_OFFICER]))
    book = load_workbook(io.BytesIO(client.get(url, {**query, "export": "xlsx"}).content))
    rows = list(book["Risks above appetite or rising"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [high.reference]
    assert "Recommendations overdue" in book.sheetnames  # empty for a portfolio, but there
    pdf = client.get(url, {**query, "export": "pdf"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Depot floods" in text and "Paint wears" not in text
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    book = load_workbook(io.BytesIO(client.get(url, {**query, "export": "xlsx"}).content))
    assert "Risks above appetite or rising" not in book.sheetnames


def test_the_meetings_word_report_ends_with_the_risks_for_those_who_read_them(client, scene):
    import docx

    _, _, high, _, meeting = scene
    client.force_login(UserFactory(roles=[Role.CHIEF_OFFICER]))
    document = docx.Document(io.BytesIO(client.get(reverse("reviews:meeting-docx", args=[meeting.pk])).content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Risks above appetite or rising" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert high.reference in cells and "Depot floods" in cells and "Above appetite" in cells
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    document = docx.Document(io.BytesIO(client.get(reverse("reviews:meeting-docx", args=[meeting.pk])).content))
    assert "Risks above appetite or rising" not in [p.text for p in document.paragraphs]
