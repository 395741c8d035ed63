"""The scorecard pages and the exception report, through the test client."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from indicators import shown
from indicators.models import Indicator, Outturn
from plans.models import Plan, PlanStatus
from tests.indicators.factories import period
from tests.reviews.world import ROLES, World
from tests.shared_data import refreshed, shared

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with shared(django_db_blocker):
        yield World()


@pytest.fixture
def world(db, _world):
    return refreshed(_world)


@pytest.fixture
def chief(client, world):
    client.force_login(world.people["chief"])
    return client


def council(world, **query):
    query.setdefault("period", world.quarter.pk)
    return reverse("reviews:scorecard", args=["council-scorecard"]), query


def codes(response) -> list[str]:
    """Indicator codes of the table's rows, in order."""
    return re.findall(r'<span class="pmis-code">([^<]+)</span>', response.content.decode())


def test_scorecard_shows_each_indicator_for_the_period(chief, world):
    response = chief.get(*council(world))
    body = response.content.decode()
    assert response.status_code == 200
    # Not the reference-only national indicator.
    assert codes(response) == ["H1", "H2", "H3", "H4", "L1", "L2"]
    assert "50.0%" in body and "£1,234.56" in body and "£1,000.50" in body
    assert reverse("indicators:indicator-detail", args=[world.red.pk]) in body
    assert "The contractor went into administration." in body
    assert "Signed off" in body and "Not signed off" in body
    assert '<span aria-hidden="true">&#8593;</span> Improving' in body
    assert '<span aria-hidden="true">&#8595;</span> Worsening' in body
    # H1's target is signed off, L1's is not: L1's Red is provisional, counted apart and marked.
    assert "Red: 1 (up 1 since 2025/26 Q1)" in body
    assert "Red, provisional (target not signed off): 1 (up 1 since 2025/26 Q1)" in body
    assert '<span class="pmis-provisional">Provisional</span>' in body
    assert "Overdue: 1" in body
    assert "<svg" in body  # L2's months make a trend line
    assert "2025/26 Sep" in body  # the monthly indicator's current period


def test_default_period_is_the_latest_quarter_with_data(chief, world):
    response = chief.get(reverse("reviews:scorecard", args=["council-scorecard"]))
    assert "Summary for 2025/26 Q2" in response.content.decode()


def test_unknown_or_unended_period_is_not_found(chief, world):
    url = reverse("reviews:scorecard", args=["council-scorecard"])
    assert chief.get(url, {"period": 999999}).status_code == 404
    assert chief.get(url, {"period": period("2026/27 Q1").pk}).status_code == 404
    assert chief.get(url, {"period": "Q1"}).status_code == 404


def test_filter_by_rating_and_portfolio_through_the_url(chief, world):
    # L1's and H2's targets are not signed off: their ratings are provisional, chosen apart
    # as the summary counts them.
    assert codes(chief.get(*council(world, rag="red"))) == ["H1"]
    assert codes(chief.get(*council(world, rag=["red", "provisional_red"]))) == ["H1", "L1"]
    assert codes(chief.get(*council(world, rag=["red", "amber", "provisional_amber"]))) == ["H1", "H2"]
    assert codes(chief.get(*council(world, rag="overdue"))) == ["H4"]
    response = chief.get(*council(world, rag="red", portfolio=world.housing.pk))
    assert codes(response) == ["H1"]
    # The summary counts the portfolio's rows, whatever the rating filter.
    body = response.content.decode()
    assert "Red: 1 " in body and "Amber, provisional (target not signed off): 1 " in body


def test_filter_by_direction_frequency_service_and_kind(chief, world):
    assert codes(chief.get(*council(world, direction="improving"))) == ["H1"]
    assert codes(chief.get(*council(world, direction="worsening"))) == ["H2"]
    assert codes(chief.get(*council(world, frequency="month"))) == ["L2"]
    assert codes(chief.get(*council(world, service=world.sport.pk))) == ["L1", "L2"]
    assert codes(chief.get(*council(world, directorate=world.homes.directorate_id))) == ["H1", "H2", "H3", "H4"]
    assert codes(chief.get(*council(world, kind="national"))) == []


def test_sort_through_the_url(chief, world):
    assert codes(chief.get(*council(world, sort="-code"))) == ["L2", "L1", "H4", "H3", "H2", "H1"]
    assert codes(chief.get(*council(world, sort="rating")))[:4] == ["H1", "L1", "H2", "H4"]
    assert codes(chief.get(*council(world, sort="direction")))[:2] == ["H1", "L2"]
    response = chief.get(*council(world, sort="rating", rag=["red", "provisional_red"]))
    assert codes(response) == ["H1", "L1"]
    body = response.content.decode()
    assert 'aria-sort="ascending"' in body
    # Sorting and filter links keep each other; the filter's tag removes the filter alone.
    assert "rag=red" in re.search(r'href="([^"]*sort=-rating[^"]*)"', body).group(1)
    tag = re.search(r'<a class="pmis-filter__tag" href="([^"]*)">', body).group(1)
    # The first tag (Red) removes Red and keeps the provisional Reds.
    assert "sort=rating" in tag and "rag=red" not in tag and "rag=provisional_red" in tag


def test_headers_carry_aria_sort_and_link_to_the_other_order(chief, world):
    body = chief.get(*council(world, sort="-code")).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header"([^>]*)>\s*(.*?)\s*</th>', body, re.S)
    # The compact table: indicator, figure, target, rating, direction, trend.
    assert len(headers) == 6
    by_text = {re.sub(r"<[^>]+>|: sort \w+", "", html): (attributes, html) for attributes, html in headers}
    attributes, html = by_text["Indicator"]
    assert attributes == ' aria-sort="descending"' and "sort=code" in html and ": sort ascending" in html
    attributes, html = by_text["Rating"]
    assert attributes == ' aria-sort="none"' and "sort=rating" in html and ": sort ascending" in html
    # A column that does not sort: no aria-sort, no link.
    assert by_text["Figure"] == ("", "Figure")


def test_a_filter_value_that_is_not_a_choice_is_shown_and_ignored(chief, world):
    response = chief.get(*council(world, portfolio=999999, rag=["red", "purple"], frequency="quarter"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_portfolio-error"' in body
    # The rating filter is ignored with its invalid value; the frequency still applies.
    assert codes(response) == ["H1", "H2", "H3", "H4", "L1"]


def test_override_is_shown_with_the_computed_rating(chief, world):
    world.override_amber_to_green()
    # H2's target is not signed off: its override is a provisional Green.
    response = chief.get(*council(world, rag="provisional_green"))
    body = response.content.decode()
    assert "H2" in codes(response)
    assert "Overridden: computed amber" in body


def test_scope_scorecards(chief, world):
    def scope(name, pk):
        return codes(chief.get(reverse("reviews:scope-scorecard", args=[name, pk]), {"period": world.quarter.pk}))

    assert scope("portfolio", world.housing.pk) == ["H1", "H2", "H3", "H4"]
    assert scope("directorate", world.sport.directorate_id) == ["L1", "L2"]
    assert scope("service", world.sport.pk) == ["L1", "L2"]
    assert scope("plan", world.plan.pk) == ["H1", "H2", "L1"]
    assert scope("priority", world.priority.pk) == ["H1", "H2"]
    assert chief.get(reverse("reviews:scope-scorecard", args=["galaxy", 1])).status_code == 404
    assert chief.get(reverse("reviews:scope-scorecard", args=["portfolio", 999999])).status_code == 404
    assert chief.get(reverse("reviews:scorecard", args=["no-such-scorecard"])).status_code == 404


def test_scorecard_list_puts_the_council_scorecard_first_and_links_every_scope(chief, world):
    body = chief.get(reverse("reviews:scorecards")).content.decode()
    assert body.index("Council Scorecard") < body.index("Adults")
    for scope, pk in [
        ("portfolio", world.housing.pk),
        ("directorate", world.homes.directorate_id),
        ("service", world.homes.pk),
        ("plan", world.plan.pk),
        ("priority", world.priority.pk),
    ]:
        assert reverse("reviews:scope-scorecard", args=[scope, pk]) in body


def test_exception_report_for_a_portfolio(chief, world):
    url = reverse("reviews:exception-report")
    response = chief.get(url, {"scope": "portfolio", "pk": world.housing.pk, "period": world.quarter.pk})
    body = response.content.decode()
    assert response.status_code == 200
    red_and_amber = body[body.index('id="red-and-amber"') : body.index('id="overdue"')]
    overdue = body[body.index('id="overdue"') : body.index('id="targets-not-signed-off"')]
    targets = body[body.index('id="targets-not-signed-off"') : body.index('id="targets-late"')]
    late = body[body.index('id="targets-late"') :]
    assert "H1 Title H1" in red_and_amber and "H2 Title H2" in red_and_amber
    assert red_and_amber.index("H1 Title H1") < red_and_amber.index("H2 Title H2")
    # Titles, not bare codes: a form's random CSRF token can hold "H3".
    assert "H3 Title" not in red_and_amber and "L1 Title" not in body
    assert "5% of the target" in red_and_amber
    assert "The contractor went into administration." in red_and_amber
    assert "Sickness absence in the team." in red_and_amber
    assert "50.0%" in red_and_amber and "100.0%" in red_and_amber
    assert "H4 Title H4" in overdue and "H1 Title" not in overdue
    # H2 and H4's targets are in draft; H1 and H3's are signed off.
    assert (
        "H2 Title H2" in targets
        and "H4 Title H4" in targets
        and "H1 Title" not in targets
        and "H3 Title" not in targets
    )
    # Past the sign-off deadline (30 April), the targets not signed off are late.
    assert "H2 Title H2" in late and "H4 Title H4" in late and "H1 Title" not in late and "H3 Title" not in late
    assert "Portfolio: Housing" in body and "2025/26 Q2" in body and "20 May 2026" in body
    assert settings.PMIS_COUNCIL_NAME in body


def test_exception_report_for_the_council_and_a_directorate(chief, world):
    url = reverse("reviews:exception-report")
    body = chief.get(url, {"period": world.quarter.pk}).content.decode()
    assert "Whole council" in body and "L1 Title L1" in body and "H1 Title H1" in body
    body = chief.get(url, {"scope": "directorate", "pk": world.sport.directorate_id}).content.decode()
    assert "L1 Title L1" in body and "H1 Title H1" not in body
    assert chief.get(url, {"scope": "portfolio"}).status_code == 404
    assert chief.get(url, {"scope": "service", "pk": world.homes.pk}).status_code == 404


def test_override_to_green_leaves_the_exception_report(chief, world):
    world.override_amber_to_green()
    url = reverse("reviews:exception-report")
    body = chief.get(url, {"period": world.quarter.pk}).content.decode()
    red_and_amber = body[body.index('id="red-and-amber"') : body.index('id="overdue"')]
    assert "H2 Title H2" not in red_and_amber


def urls(world):
    return [
        reverse("reviews:scorecards"),
        reverse("reviews:scorecard", args=["council-scorecard"]),
        reverse("reviews:scope-scorecard", args=["portfolio", world.housing.pk]),
        reverse("reviews:exception-report"),
        reverse("reviews:exception-report") + "?export=xlsx",
        reverse("reviews:scorecard", args=["council-scorecard"]) + "?export=csv",
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_people_without_a_role_are_refused(client, world):
    client.force_login(world.nobody)
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 403
        assert "Title H1" not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("who", sorted(ROLES))
def test_every_role_reads_scorecards_and_exception_reports(client, world, who):
    client.force_login(world.people[who])
    for url in urls(world):
        assert client.get(url).status_code == 200, url


def test_the_council_scorecard_is_grouped_by_corporate_priority_under_each_composite(chief, world):
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.APPROVED)

    def group(body: str, group_id: str) -> str:
        start = body.index(f'id="group-{group_id}"')
        return body[start : body.index("</tbody>", start)]

    def codes_in(html: str) -> list[str]:
        return re.findall(r'<span class="pmis-code">([^<]+)</span>', html)

    body = chief.get(*council(world)).content.decode()
    homes = group(body, f"priority-{world.priority.pk}")
    assert "Decent homes" in homes and "0 Green, 1 Amber, 1 Red, 0 unrated" in homes
    assert codes_in(homes) == ["H1", "H2"]
    # L1 is in the other priority's basket; the rest are in none.
    assert codes_in(group(body, "other")) == ["H3", "H4", "L2"]
    # Commentary is one click away.
    assert '<details class="govuk-details pmis-row-details">' in homes
    # Or by portfolio, each with the composite of its rows.
    body = chief.get(*council(world, group="portfolio")).content.decode()
    housing = group(body, f"portfolio-{world.housing.pk}")
    assert codes_in(housing) == ["H1", "H2", "H3", "H4"] and "1 Green, 1 Amber, 1 Red, 1 unrated" in housing


def test_the_exception_report_downloads_as_a_pdf_of_the_same_page(chief, world):
    response = chief.get(
        reverse("reviews:exception-report"), {"scope": "portfolio", "pk": world.housing.pk, "export": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Red and Amber indicators" in text and "H1 Title H1" in text and "Page 1 of" in text
    # The paper's heading line names the page, not the download.
    assert "scope=portfolio" in text and "export=pdf" not in text


def test_each_page_of_the_pdf_is_headed_once_by_the_papers_heading_line(chief, world):
    # Long commentaries (printed open) run the report to several pages.
    Outturn.objects.update(commentary="\n\n".join(["What happened, why and what is being done. " * 12] * 12))
    heading = (
        f"{settings.PMIS_COUNCIL_NAME} · Portfolio: Housing · {world.quarter.label} · produced 20 May 2026 · "
        f"http://testserver/exceptions/?scope=portfolio&pk={world.housing.pk}"
    )
    response = chief.get(
        reverse("reviews:exception-report"), {"scope": "portfolio", "pk": world.housing.pk, "export": "pdf"}
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = {}

        def visit(text, matrix, text_matrix, font, size, lines=lines):
            if text.strip():
                lines.setdefault(round(matrix[5] + text_matrix[5] * matrix[3], 1), []).append(text.strip())

        text = page.extract_text(visitor_text=visit)
        assert " ".join(text.split()).count(heading) == 1, f"page {number}"
        (top, first), (below, _) = sorted(lines.items(), reverse=True)[:2]
        assert " ".join(first) == heading, f"page {number}"
        # 7.5 point type: the page's text begins clear of it.
        assert top - below >= 12, f"page {number}"


def test_the_scorecard_as_the_public_sees_it(chief, world):
    inside = chief.get(*council(world)).content.decode()
    assert "Show this scorecard as the public sees it" in inside
    Indicator.objects.filter(code__in=["H1", "H2", "H3", "H4", "L1"]).update(is_published=True)
    response = chief.get(*council(world, view="public"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "As the public sees it." in body and escape(shown.PUBLIC_RULE) in body
    # Published measures only. Every figure of this council is entered and not yet
    # validated: the public sees none of them and no rating, provisional or otherwise; H4 has
    # no figure for the quarter.
    assert codes(response) == ["H1", "H2", "H3", "H4", "L1"]
    assert "Not yet validated: 4" in body and "Not yet published: 1" in body
    assert "Red: 0" in body and "provisional" not in body.split('id="summary"')[1].split("</ul>")[0]
    assert '<span class="pmis-provisional">' not in body
