"""The public pages as a resident uses them and their caching (their query counts: test_query_counts)."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Outturn, TolerancePolicy
from public import data
from tests.indicators.factories import period
from tests.public.urls import public_downloads, public_pages

pytestmark = pytest.mark.django_db


def test_pages_need_no_sign_in_and_are_the_same_for_everyone(client, world, django_user_model):
    for url in public_pages(world):
        anonymous = client.get(url)
        assert anonymous.status_code == 200, url
        assert "csrfmiddlewaretoken" not in anonymous.content.decode()
        assert "Cookie" not in anonymous.get("Vary", "")
    client.force_login(world.team)
    signed_in = client.get(reverse("public:home"))
    assert "Sign out" not in signed_in.content.decode()


def test_scorecard_rejects_a_quarter_not_in_the_list(client, world):
    response = client.get(reverse("public:scorecard"), {"period": "2099/00 Q9"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#period"' in body
    assert "Choose a quarter from the list" in body
    assert "<title>Council scorecard for 2025/26 Q3 - Error" in body


def test_indicator_page_shows_figures_targets_ratings_and_public_commentary(client, world):
    body = client.get(reverse("public:indicator", args=[world.recycling.code])).content.decode()
    assert "What this measures, in plain English." in body
    assert "44.0%" in body and "42.0%" in body
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in body
    assert "No signed-off target" in body
    assert "Recycling rose after the new food waste round" in body
    assert "<svg" in body and 'role="img"' in body


def test_unknown_years_and_indicators_are_not_found(client, world):
    assert client.get(reverse("public:annual-report", args=[2031])).status_code == 404
    assert client.get(reverse("public:indicator", args=["NO SUCH"])).status_code == 404
    assert client.get(reverse("public:download-figures-year", args=[2031, "csv"])).status_code == 404


def test_annual_report_link_goes_to_the_latest_ended_year(client, world):
    response = client.get(reverse("public:annual-report-latest"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:annual-report", args=[2025])


def test_downloads_are_csv_and_json_with_the_licence(client, world):
    response = client.get(reverse("public:download-figures-year", args=[2025, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures-2025.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    q2 = next(r for r in rows if r["indicator"] == "NI 192" and r["period"] == "2025/26 Q2")
    assert q2["value"] == "44.0" and q2["target"] == "42.0" and q2["status"] == "green"
    assert {r["financial_year"] for r in rows} == {"2025/26"}
    document = client.get(reverse("public:download-indicators", args=["json"])).json()
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert [d["code"] for d in document["data"]] == ["LPI 100", "NI 192"]
    for url in public_downloads():
        assert client.get(url).status_code == 200


def test_licence_is_configurable(client, world, settings):
    settings.PMIS_OPEN_DATA_LICENCE = "Creative Commons Attribution 4.0"
    body = client.get(reverse("public:open-data")).content.decode()
    assert "Creative Commons Attribution 4.0" in body


def test_etag_and_conditional_get(client, world):
    url = reverse("public:scorecard")
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(reverse("public:home"))["ETag"] != etag


def test_a_repeat_request_runs_one_query(client, world, django_assert_num_queries):
    url = reverse("public:home")
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_change_to_the_data_gives_a_new_answer(client, world):
    url = reverse("public:indicator", args=[world.recycling.code])
    first = client.get(url)
    assert "12,345.6%" not in first.content.decode()
    outturn = Outturn.objects.get(indicator=world.recycling, period=period("2025/26 Q4"))
    from indicators import services

    services.outturn_validate(outturn=outturn, by=world.team)
    second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert "12,345.6%" in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_a_priority_composite_counts_its_published_figures_only(client, world):
    (view,) = data.priority_views(2025, period("2025/26 Q2").end)
    assert view.priority.title == "A cleaner, greener borough"
    assert [row.indicator.code for row in view.rows] == ["LPI 100", "NI 192"]
    statuses = [row.status for row in view.rows]
    composite = view.composite
    assert (composite.status, composite.green, composite.unrated) == ("green", 1, 1), statuses
    body = client.get(reverse("public:home")).content.decode()
    assert "Overall, from its published measures:" in body and " unrated" in body  # the counts, not just a colour


def test_ratings_page_gives_the_tolerance_in_force_and_why(client, world):
    from indicators.services import tolerance_policy_create

    tolerance_policy_create(
        tolerance=D("0.025"),
        reason="Cabinet tightened it to match neighbours.",
        effective_from=period("2024/25 Q1"),
        by=world.team,
    )
    body = client.get(reverse("public:ratings")).content.decode()
    assert "2.5% of the target" in body
    assert "from 97.5 up to 100 is Amber, and below 97.5 is Red" in body
    assert "Cabinet tightened it to match neighbours." in body


def test_of_two_policies_for_one_period_the_public_pages_give_the_one_that_rates(client, world):
    # Recorded one after the other for the same period: the later one rates the figures,
    # so the public pages must show it too (they once ordered without created_at).
    for tolerance, reason in [("0.10", "First decision."), ("0.01", "Corrected the same day.")]:
        TolerancePolicy.objects.create(
            tolerance=D(tolerance), reason=reason, effective_from=period("2024/25 Q1"), set_by=world.team
        )
    ratings = client.get(reverse("public:ratings")).content.decode()
    assert "<strong>1% of the target</strong>" in ratings
    assert "Why the council set it: Corrected the same day." in ratings
    page = client.get(reverse("public:indicator", args=[world.recycling.code])).content.decode()
    assert "1% of the target (the council&#x27;s tolerance)" in page
