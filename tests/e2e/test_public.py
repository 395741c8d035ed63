"""The public pages in a browser, as an anonymous resident: axe-core at WCAG 2.2 A and AA,
without JavaScript, and at 400% zoom (a 320 CSS pixel wide window) with no horizontal
scrolling of the page."""

import pytest

from tests.e2e.conftest import Visitor
from tests.public.urls import public_pages
from tests.public.world import PublicWorld

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_have_no_wcag_22_aa_violations(visitor, capsys):
    world = PublicWorld()
    for path in public_pages(world):
        visitor.go(path)
        assert visitor.page.locator("h1").count() == 1, path
    visitor.go("/public/scorecard/?period=nonsense")
    assert visitor.page.get_by_text("There is a problem").is_visible()
    with capsys.disabled():
        print(f"\naxe-core on {len(visitor.checked)} public pages: no violations")


def test_public_pages_work_without_javascript(browser, live_server):
    world = PublicWorld()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    visitor = Visitor(page, live_server.url)
    try:
        visitor.page.goto(live_server.url + "/public/")
        # Navigation and the scorecard's quarter picker are plain links and a GET form.
        page.get_by_role("link", name="Scorecard", exact=True).first.click()
        page.get_by_label("Quarter").select_option("2024/25 Q4")
        page.get_by_role("button", name="Show quarter").click()
        assert "period=2024%2F25+Q4" in page.url
        assert page.locator("h1").inner_text() == "Council scorecard: 2024/25 Q4"
        page.get_by_role("link", name="Household waste recycled").first.click()
        assert page.locator("h1").inner_text() == "Household waste recycled"
        # The chart is an inline SVG: no script draws it.
        assert page.locator("svg.pmis-chart").count() == 1
        for path in public_pages(world):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
    finally:
        context.close()


def test_public_pages_need_no_horizontal_scrolling_at_400_percent_zoom(browser, live_server):
    """1280 pixels at 400% is a 320 CSS pixel window (WCAG 1.4.10 Reflow)."""
    world = PublicWorld()
    context = browser.new_context(viewport={"width": 320, "height": 256})
    page = context.new_page()
    try:
        for path in public_pages(world):
            page.goto(live_server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 320 px wide"
    finally:
        context.close()
