"""An officer downloads the returns template, fills it in, fixes what the upload reports,
confirms the preview and sees the ratings (issue 8's "done when"); a Red figure without
commentary is saved as a draft while the complete one is submitted (issue 22), in Chromium."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from indicators import services
from indicators.models import Outturn, OutturnState, Rag
from organisation.models import Role
from tests.e2e.test_journeys import PASSWORD, latest_ended_quarter
from tests.indicators.factories import IndicatorFactory
from tests.organisation.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fill(path, values: dict[str, tuple]) -> bytes:
    """Type into the downloaded template: value and commentary (columns G and K) by code."""
    workbook = load_workbook(path)
    for row in workbook.active.iter_rows(min_row=2):
        if row[0].value in values:
            row[6].value, row[10].value = values[row[0].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_officer_imports_a_filled_in_template(visitor, tmp_path):
    service = ServiceFactory(name="Waste and Recycling")
    officer = UserFactory(username="olly.officer", roles=[Role.OFFICER], service=service, password=PASSWORD)
    quarter = latest_ended_quarter()
    recycling = IndicatorFactory(code="ENV1a", title="Household waste recycled", service=service)
    missed = IndicatorFactory(
        code="ENV2", title="Missed bins per 100,000 collections", service=service, polarity="lower"
    )
    services.target_set(indicator=recycling, period=quarter, value=D("50"), rationale="Trend", by=officer)

    visitor.sign_in("olly.officer", PASSWORD)
    visitor.go("/returns/")
    page = visitor.page
    page.get_by_role("link", name="Import from a spreadsheet").click()
    visitor.check()
    page.get_by_label("Period").select_option(label=str(quarter))
    page.get_by_label("Indicators").select_option(label="Waste and Recycling")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template (.xlsx)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    # A figure that is not a number: the whole file is refused, and says where and why.
    (tmp_path / "bad.xlsx").write_bytes(fill(template, {"ENV1a": ("forty", None), "ENV2": (3, None)}))
    page.get_by_label("Upload a file").set_input_files(tmp_path / "bad.xlsx")
    page.get_by_role("button", name="Check the file").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Nothing has been imported" in summary and "Row 2, column G" in summary
    assert not Outturn.objects.exists()

    # A Red figure without commentary is kept as a draft; the complete one is submitted.
    (tmp_path / "filled.xlsx").write_bytes(fill(template, {"ENV1a": (40, None), "ENV2": (3, None)}))
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Upload a file").set_input_files(tmp_path / "filled.xlsx")
    page.get_by_role("button", name="Check the file").click()
    visitor.check()
    preview = page.locator("main").inner_text()
    assert "ENV1a" in preview and "40.0%" in preview and "Rated Red without commentary: saved as a draft" in preview
    page.get_by_label("Submit the complete figures now").check()
    page.get_by_role("button", name="Import these 2 rows").click()
    visitor.check()
    assert "Import complete" in page.locator(".govuk-panel").inner_text()
    red = Outturn.objects.get(indicator=recycling)
    assert (red.rating.rag, red.state) == (Rag.RED, OutturnState.DRAFT)
    assert Outturn.objects.get(indicator=missed).state == OutturnState.SUBMITTED
