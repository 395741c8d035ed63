"""Issue 20, on paper: a committee clerk prints the whole council's exception report from
Chromium, and every printed page is headed by the paper's heading line (the council, scope,
period, date produced and the page's address), once, with the report's text clear below
it; the report still prints in at most 15 A4 pages. (WeasyPrint's PDFs: tests/reviews.)"""

from io import BytesIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from demo.loader import DEMO_PASSWORD
from organisation.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def lines_printed(page) -> list[tuple[float, str]]:
    """A printed page's lines of text, each with its height up the page (in points), top first."""
    lines: dict[float, list[str]] = {}

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            lines.setdefault(round(matrix[5] + text_matrix[5] * matrix[3], 1), []).append(text.strip())

    page.extract_text(visitor_text=visit)
    return [(height, " ".join(parts)) for height, parts in sorted(lines.items(), reverse=True)]


def packed(text: str) -> str:
    """Text without its spaces and line breaks (which a PDF's text does not keep exactly)."""
    return "".join(text.split())


def test_every_printed_page_of_the_exception_report_is_headed_by_the_paper_heading(visitor):
    call_command("load_demo", verbosity=0)
    chief = User.objects.filter(groups__name=Role.CHIEF_OFFICER).order_by("pk").first()
    page = visitor.page
    page.set_viewport_size({"width": 1280, "height": 900})
    visitor.sign_in(chief.username, DEMO_PASSWORD)
    visitor.go(reverse("reviews:exception-report"))

    page.emulate_media(media="print")
    heading = " ".join(page.locator(".pmis-paper-header").inner_text().split())
    assert heading.startswith(f"{settings.PMIS_COUNCIL_NAME} · Whole council · ") and heading.endswith(page.url)
    printed = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True))).pages
    assert 2 <= len(printed) <= 15
    for number, sheet in enumerate(printed, start=1):
        assert packed(sheet.extract_text()).count(packed(heading)) == 1, f"page {number}"
        lines = lines_printed(sheet)
        (top, first), (below, _) = lines[0], lines[1]
        assert packed(first) == packed(heading), f"page {number} starts {first!r}"
        # 7.5 point type: the page's text begins clear of the heading line, not beneath it.
        assert top - below >= 12, f"page {number}: its text is {top - below:.1f} points below the heading"
