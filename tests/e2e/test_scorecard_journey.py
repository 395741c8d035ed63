"""Issues 4 and 20 on the demo council, in the browser: a chief officer opens the Council
Scorecard, filters it to Red, reads a commentary, opens an indicator to see why, and takes
one portfolio's exception report to committee as a printed paper and as Excel. Then every
scorecard, exception report, pack and home page fits a 1,280 px window and a 375 px phone
without sideways scrolling (axe checks each), and the whole-council exception report
prints in at most 15 A4 pages, each headed by the paper's heading line. Last, on the same
council (loaded once), issue 19: the portfolio holder signs off a whole year on one page."""

import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from demo.loader import DEMO_PASSWORD
from indicators.models import Indicator, Period, Target, TargetStatus, TargetYear
from organisation.models import Role, User
from reviews.models import Meeting, MeetingKind

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


def test_a_chief_officer_finds_what_is_red_and_takes_the_exception_report_to_committee(visitor):
    call_command("load_demo", verbosity=0)
    chief = User.objects.filter(groups__name=Role.CHIEF_OFFICER).order_by("pk").first()
    page = visitor.page
    page.set_viewport_size({"width": 1280, "height": 900})

    visitor.sign_in(chief.username, DEMO_PASSWORD)
    page.get_by_role("link", name="Scorecards", exact=True).first.click()
    visitor.check()
    page.get_by_role("link", name="Council Scorecard").click()
    visitor.check()
    period = page.locator(".govuk-caption-l").inner_text().removeprefix("Scorecard, ").strip()
    summary = page.locator("#summary").inner_text()
    red_count = int(re.search(r"^Red: (\d+)", summary, re.MULTILINE).group(1))
    rows = page.locator("#scorecard tbody tr:not(.pmis-group)")
    # Grouped by corporate priority, each group headed by its composite.
    assert page.locator("#scorecard .pmis-group").count() > 1
    assert 0 < red_count < len(set(rows.locator(".pmis-code").all_inner_texts()))

    # The filters fold into a panel; those in force show as tags that remove them.
    page.get_by_text("Filter, sort and group").click()
    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Show scorecard").click()
    visitor.check()
    # The filter lives in the address, so the view can be bookmarked and shared.
    assert parse_qs(urlsplit(page.url).query)["rag"] == ["red"]
    assert "Rating: Red" in page.locator("#active-filters").inner_text()
    assert len(set(rows.locator(".pmis-code").all_inner_texts())) == red_count
    ratings = {text.strip() for text in rows.locator("td[data-label=Rating]").all_inner_texts()}
    assert ratings == {"Red"}

    first = rows.first
    indicator = Indicator.objects.get(code=first.locator(".pmis-code").inner_text().strip())
    row_period = Period.objects.get_by_label(first.locator("td[data-label=Figure] .govuk-body-s").inner_text())
    outturn = indicator.outturns.get(period=row_period)
    # The commentary is one click away.
    first.locator("summary").click()
    assert outturn.commentary.splitlines()[0] in first.locator(".govuk-details__text").inner_text()
    first.locator("th a").first.click()
    visitor.check()
    assert page.locator("h1").inner_text().strip().endswith(indicator.title)
    # Why: the figure against its target, rated Red, and the officer's commentary on it.
    figures = page.locator("#figures tbody tr", has=page.get_by_role("rowheader", name=row_period.label, exact=True))
    assert figures.locator("td").nth(2).inner_text().strip() == "Red"
    assert outturn.commentary.splitlines()[0] in page.locator("#commentary").inner_text()

    page.get_by_role("link", name="Scorecards", exact=True).first.click()
    page.get_by_role("link", name="exception report").click()
    visitor.check()
    page.get_by_label("Scope").select_option(label="A portfolio")
    page.get_by_label("Portfolio or directorate").select_option(label=indicator.portfolio.name)
    page.get_by_label("Reporting period").select_option(label=period)
    page.get_by_role("button", name="Show report").click()
    visitor.check()
    details = page.locator("#report-details").inner_text()
    assert indicator.portfolio.name in details and "Produced" in details
    listed = {text.strip() for text in page.locator("#red-and-amber-table tbody th").all_inner_texts()}
    in_portfolio = {f"{i.code} {i.title}": i.code for i in indicator.portfolio.indicators.all()}
    assert f"{indicator.code} {indicator.title}" in listed
    assert listed <= set(in_portfolio)

    # Printed as a committee paper: no navigation or form; a heading line saying the council,
    # scope, period, date produced and the page's full address.
    page.emulate_media(media="print")
    heading = page.locator(".pmis-paper-header")
    assert heading.is_visible()
    assert indicator.portfolio.name in heading.inner_text() and period in heading.inner_text()
    assert page.url in heading.inner_text()
    for furniture in (".govuk-service-navigation", "form", ".govuk-footer", ".govuk-breadcrumbs"):
        assert not page.locator(furniture).first.is_visible(), furniture
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel spreadsheet").click()
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    # Then the scope's risks and overdue recommendations, which a chief officer may read.
    assert workbook.sheetnames[:4] == [
        "Red and Amber",
        "Overdue returns",
        "Targets not signed off",
        "Reds without an action plan",
    ]
    sheet = workbook["Red and Amber"]
    headings = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    by_code = {row[0]: dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(by_code) == {in_portfolio[heading] for heading in listed}
    assert by_code[indicator.code]["Rating"] == "Red"
    assert by_code[indicator.code]["Commentary"] == outturn.commentary

    # The whole council's exception report prints in at most 15 A4 landscape pages, every
    # one headed by the paper's heading line once, with the report's text clear below it.
    visitor.go(reverse("reviews:exception-report"))
    page.emulate_media(media="print")
    heading = " ".join(page.locator(".pmis-paper-header").inner_text().split())
    assert heading.startswith(f"{settings.PMIS_COUNCIL_NAME} · Whole council · ") and heading.endswith(page.url)
    printed = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True))).pages
    assert 2 <= len(printed) <= 15
    for number, sheet in enumerate(printed, start=1):
        assert packed(sheet.extract_text()).count(packed(heading)) == 1, f"page {number}"
        (top, first), (below, _) = lines_printed(sheet)[:2]
        assert packed(first) == packed(heading), f"page {number} starts {first!r}"
        # 7.5 point type: the page's text begins clear of the heading line, not beneath it.
        assert top - below >= 12, f"page {number}: its text is {top - below:.1f} points below the heading"
    page.emulate_media(media="screen")

    # No scorecard, exception report, pack or home page scrolls sideways on a 1,280 px
    # window or a 375 px phone (where the scorecard's rows are stacked cards).
    pack = Meeting.objects.filter(kind=MeetingKind.CORPORATE_PRT, snapshots__isnull=False).order_by("-date").first()
    screens = [
        reverse("indicators:home"),
        reverse("reviews:scorecard", args=["council"]),
        reverse("reviews:scope-scorecard", args=["portfolio", indicator.portfolio_id]) + "?group=portfolio",
        reverse("reviews:exception-report"),
        reverse("reviews:meeting", args=[pack.pk]),
    ]
    # axe checks each page once, and the phone's stacked cards: the other pages' markup is
    # the same at both widths.
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in screens:
            if path in visitor.checked and not (width == 375 and path == screens[1]):
                page.goto(visitor.base_url + path)
            else:
                visitor.go(path)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide in a {width} px window"

    # The same council's portfolio holder signs off a whole year on one page.
    page.context.clear_cookies()
    the_portfolio_holder_signs_off_a_whole_year_for_the_portfolio_on_one_page(visitor)


def the_portfolio_holder_signs_off_a_whole_year_for_the_portfolio_on_one_page(visitor):
    """Issue 19: the demo's portfolio holder opens the year's targets awaiting them from the
    home page, sends one back with a comment and signs off the rest in one action."""
    holder = User.objects.get(username="kwame.asante")
    awaiting = list(
        TargetYear.objects.filter(status=TargetStatus.QUALITY_ASSURED, indicator__portfolio__holder=holder)
        .select_related("indicator")
        .order_by("indicator__code")
    )
    assert len(awaiting) >= 2
    page = visitor.page
    page.set_viewport_size({"width": 1280, "height": 900})

    visitor.sign_in(holder.username, DEMO_PASSWORD)
    page.get_by_role("link", name="Targets to sign off").click()
    visitor.check()
    cards = page.locator(".govuk-summary-card")
    assert cards.count() == len(awaiting)
    first = page.locator(f"#proposal-{awaiting[0].pk}")
    assert awaiting[0].rationale in first.inner_text()
    assert "Latest figures" in first.inner_text() and "Benchmark" in first.inner_text()

    # Sending back needs a comment: the error summary links to the row's comment box.
    first.get_by_label("Send back").check()
    page.get_by_role("button", name="Sign off the rest").click()
    visitor.check()
    page.locator(".govuk-error-summary a", has_text=awaiting[0].indicator.code).click()
    assert page.evaluate("document.activeElement.id") == f"comment-{awaiting[0].pk}"
    assert TargetYear.objects.filter(pk__in=[y.pk for y in awaiting], status=TargetStatus.SIGNED_OFF).count() == 0

    page.locator(f"#comment-{awaiting[0].pk}").fill("The fourth quarter looks too easy: look again at the trend.")
    page.get_by_role("button", name="Sign off the rest").click()
    visitor.check()
    panel = page.locator(".govuk-panel--confirmation").inner_text()
    rest = len(awaiting) - 1
    assert f"{rest} indicator" in panel and "signed off" in panel and "1 sent back" in panel
    after = {y.pk: y for y in TargetYear.objects.filter(pk__in=[y.pk for y in awaiting])}
    assert after[awaiting[0].pk].status == TargetStatus.DRAFT
    assert all(
        (after[y.pk].status, after[y.pk].signed_off_by) == (TargetStatus.SIGNED_OFF, holder) for y in awaiting[1:]
    )
    # Every period target of a signed-off year is signed off with it.
    assert not Target.objects.filter(indicator=awaiting[1].indicator, period__year=awaiting[1].year).exclude(
        status=TargetStatus.SIGNED_OFF
    )

    # The home page now lists only the one sent back among the late years.
    page.goto(visitor.base_url + "/")
    visitor.check()
    late = page.locator("#holder-late-targets ~ .pmis-table-scroll table").first.inner_text()
    assert awaiting[0].indicator.code in late and awaiting[1].indicator.code not in late
    # A signed-off year's rationale is on the public indicator page.
    public = TargetYear.objects.filter(status=TargetStatus.SIGNED_OFF, indicator__is_published=True).first()
    visitor.go(reverse("public:indicator", args=[public.indicator.code]))
    assert public.rationale in page.locator("#targets-and-why").inner_text()
