"""The demo council's figures and words hold up when a councillor reads them (issue 24)."""

import datetime
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from demo import catalogue, stories
from indicators.models import Frequency, Indicator, Outturn, Target, TargetYear
from reviews.models import BudgetLine

TODAY = datetime.date(2026, 11, 23)
README = Path(__file__).resolve().parents[2] / "README.md"


def _normalised(text: str) -> str:
    """The text without its figures, dates and names: what is left is what was written."""
    text = text.lower()
    text = re.sub(r"\d{4}/\d{2}(\s+(q[1-4]|[a-z]{3}))?", " ", text)  # period labels
    text = re.sub(
        r"\b\d{1,2} (january|february|march|april|may|june|july|august|september|october|november|"
        r"december)( \d{4})?",
        " ",
        text,
    )
    text = re.sub(r"£?-?\d[\d,]*(\.\d+)?( ?%| per 1,000| days?)?", "#", text)
    for _username, first, last, _role, _where in catalogue.PEOPLE:
        text = text.replace(first.lower(), " ").replace(last.lower(), " ")
    text = text.replace("fernley", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.django_db
def test_most_commentary_is_distinct_once_figures_dates_and_names_are_taken_out(demo):
    texts = list(Outturn.objects.exclude(commentary="").values_list("commentary", flat=True))
    assert len(texts) > 500
    distinct = {_normalised(text) for text in texts}
    assert len(distinct) / len(texts) >= 0.6
    # No one comment dominates: the most used says the same thing at most a few dozen times.
    assert Counter(_normalised(text) for text in texts).most_common(1)[0][1] <= 30


def test_the_normaliser_takes_out_figures_dates_and_names():
    one = "On target for 2025/26 Q3 at 91.5% (target 90.0%). Priya Sharma checked it on 3 March 2026."
    two = "On target for 2024/25 Nov at 88.0% (target 87.5%). Mark Ellison checked it on 14 October."
    assert _normalised(one) == _normalised(two)


@pytest.mark.django_db
def test_red_and_amber_commentary_says_why_and_what_is_being_done_for_that_subject(demo):
    red = Outturn.objects.filter(rating__rag="red").select_related("indicator__service")[:200]
    assert red
    for outturn in red:
        indicator = outturn.indicator
        story = stories.STORIES[stories.STORY_OF.get(indicator.code, indicator.service.code)]
        reasons = stories.lines_for(indicator.code, story, "worse")
        actions = stories.lines_for(indicator.code, story, "action")
        assert any(reason in outturn.commentary for reason in reasons), outturn.commentary
        assert any(action in outturn.commentary for action in actions), outturn.commentary


def test_every_rated_indicator_has_reasons_and_actions_of_its_own():
    for spec in catalogue.INDICATORS:
        if spec.polarity == "none":
            continue
        story = stories.STORIES[stories.STORY_OF.get(spec.code, spec.service)]
        for part in ("worse", "better", "action"):
            assert stories.lines_for(spec.code, story, part), (spec.code, part)


@pytest.mark.django_db
def test_no_target_rationale_is_used_more_than_five_times_and_each_gives_a_reason(demo):
    rationales = Counter(TargetYear.objects.values_list("rationale", flat=True))
    assert rationales.most_common(1)[0][1] <= 5
    for text in rationales:
        assert "a year since" in text or "broadly flat" in text, text
        assert "neighbours" in text or "legal duty" in text, text


@pytest.mark.django_db
def test_statutory_duties_have_targets_of_100_percent(demo):
    statutory = [spec.code for spec in catalogue.INDICATORS if spec.statutory]
    # Agendas published five clear days ahead and gas safety checks are legal duties.
    assert {"LPI 013", "LPI 065"} <= set(statutory)
    targets = Target.objects.filter(indicator__code__in=statutory)
    assert targets.count() > 50
    assert set(targets.values_list("value", flat=True)) == {Decimal(100)}


@pytest.mark.django_db
def test_cumulative_baselines_are_on_the_annual_scale(demo):
    cumulative = Indicator.objects.collected().filter(is_cumulative=True, unit__in=["number", "currency", "days"])
    assert cumulative.count() >= 5
    for indicator in cumulative:
        annual = Target.objects.get(indicator=indicator, period__frequency=Frequency.YEAR, period__year=2024).value
        assert annual / 2 < indicator.baseline < annual * 2, (indicator.code, indicator.baseline, annual)
    sickness = Indicator.objects.get(code="LPI 005")
    assert Decimal(8) < sickness.baseline < Decimal(11)  # days a year, not one quarter's


@pytest.mark.django_db
def test_council_tax_collection_climbs_through_the_year(demo):
    figures = dict(
        Outturn.objects.filter(indicator__code="LPI 022", period__year=2025).values_list("period__number", "value")
    )
    assert figures[1] < 15 and figures[6] < 65 and figures[12] > 95
    assert all(figures[month] < figures[month + 1] for month in range(1, 12))
    april = Target.objects.get(
        indicator__code="LPI 022", period__frequency=Frequency.MONTH, period__year=2025, period__number=1
    )
    assert april.value < 15
    assert Indicator.objects.get(code="LPI 022").baseline > 95


@pytest.mark.django_db
def test_no_abolished_or_duplicate_measures(demo):
    titles = [title.lower() for title in Indicator.objects.collected().values_list("title", flat=True)]
    for abolished in ("council tax benefit", "a* to c", "initial assessment", "core assessment", "milestones"):
        assert not [title for title in titles if abolished in title], abolished
    assert sum("smok" in title or "quit" in title for title in titles) == 1
    assert sum("benefit" in title and "process" in title for title in titles) <= 2
    assert any("attainment 8" in title for title in titles)


@pytest.mark.django_db
def test_budgets_are_distinct_and_shaped_like_a_unitary_council(demo):
    lines = list(BudgetLine.objects.select_related("service", "period"))
    assert lines
    for period in {line.period for line in lines}:
        rows = [
            (line.budget, line.forecast_outturn, line.savings_target, line.savings_delivered)
            for line in lines
            if line.period == period
        ]
        assert len(set(rows)) == len(rows)
    budgets = {line.service.code: line.budget for line in lines}
    ranked = sorted(budgets, key=budgets.get, reverse=True)
    assert ranked[:2] == ["ASC", "CSC"]  # social care takes the largest shares, as nationally
    total = sum(budgets.values())
    assert Decimal("0.25") < budgets["ASC"] / total < Decimal("0.35")
    assert Decimal("0.15") < budgets["CSC"] / total < Decimal("0.22")
    steps = [a - b for a, b in zip(sorted(budgets.values()), sorted(budgets.values())[1:], strict=False)]
    assert Counter(steps).most_common(1)[0][1] == 1  # not a ladder of equal steps


def test_the_readme_says_what_kind_of_council_it_is_and_where_the_budget_shape_comes_from():
    readme = README.read_text()
    section = readme[readme.index("## The demo council") :]
    section = " ".join(section[: section.index("\n## ", 5)].split())
    assert "unitary authority" in section
    assert "revenue expenditure and financing" in section.lower() and "£25.2 billion" in section
    assert f"{len(catalogue.INDICATORS)} indicators" in section
