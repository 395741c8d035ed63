"""Issue 4's journey on the demo council, in the browser: a chief officer opens the Council
Scorecard, filters it to Red, opens an indicator to see why, and takes one portfolio's
exception report to committee as a printed paper and as Excel."""

import re
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from demo.loader import DEMO_PASSWORD
from indicators.models import Indicator, Period
from organisation.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chief_officer_finds_what_is_red_and_takes_the_exception_report_to_committee(visitor):
    call_command("load_demo", verbosity=0)
    chief = User.objects.filter(groups__name=Role.CHIEF_OFFICER).order_by("pk").first()
    page = visitor.page

    visitor.sign_in(chief.username, DEMO_PASSWORD)
    page.get_by_role("link", name="Scorecards", exact=True).first.click()
    visitor.check()
    page.get_by_role("link", name="Council Scorecard").click()
    visitor.check()
    period = page.get_by_label("Reporting period").locator("option:checked").inner_text()
    every_row = page.locator("#scorecard tbody tr").count()
    summary = page.locator("#summary").inner_text()
    red_count = int(re.search(r"^Red: (\d+)", summary, re.MULTILINE).group(1))
    assert 0 < red_count < every_row

    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Show scorecard").click()
    visitor.check()
    # The filter lives in the address, so the view can be bookmarked and shared.
    assert parse_qs(urlsplit(page.url).query)["rag"] == ["red"]
    rows = page.locator("#scorecard tbody tr")
    assert rows.count() == red_count
    ratings = [text.strip() for text in rows.locator("td:nth-child(5)").all_inner_texts()]
    assert ratings == ["Red"] * red_count

    first = rows.first
    indicator = Indicator.objects.get(code=first.locator("th").inner_text().strip())
    row_period = Period.objects.get_by_label(first.locator("td:nth-child(3) .govuk-body-s").inner_text())
    outturn = indicator.outturns.get(period=row_period)
    first.get_by_role("link").click()
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
    listed = {text.strip() for text in page.locator("#red-and-amber h3").all_inner_texts()}
    in_portfolio = {f"{i.code} {i.title}": i.code for i in indicator.portfolio.indicators.all()}
    assert f"{indicator.code} {indicator.title}" in listed
    assert listed <= set(in_portfolio)

    # Printed as a committee paper: no navigation or form, each section on its own page.
    page.emulate_media(media="print")
    assert page.locator("#report-details").is_visible()
    for furniture in (".govuk-service-navigation", "form", ".govuk-footer", ".govuk-breadcrumbs"):
        assert not page.locator(furniture).first.is_visible(), furniture
    breaks = page.locator(".pmis-section").evaluate_all("all => all.map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["auto", "page", "page"]
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel spreadsheet").click()
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames == ["Red and Amber", "Overdue returns", "Targets not signed off"]
    sheet = workbook["Red and Amber"]
    headings = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    by_code = {row[0]: dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(by_code) == {in_portfolio[heading] for heading in listed}
    assert by_code[indicator.code]["Rating"] == "Red"
    assert by_code[indicator.code]["Commentary"] == outturn.commentary
