import datetime
import html
import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services
from indicators.models import BenchmarkValue, Kind, Polarity, ToleranceMode, TolerancePolicy, Unit
from organisation.models import Role
from plans.models import Plan, PlanKind, Priority
from tests.indicators.factories import IndicatorFactory, period
from tests.organisation.factories import UserFactory

pytestmark = pytest.mark.django_db
PROVISIONAL = "Provisional (target not signed off)"
PROVISIONAL_WORDS = "provisional: target not signed off"

TODAY = datetime.date(2026, 2, 20)


@pytest.fixture(autouse=True)
def _today():
    """2025/26 Q3 is the latest quarter ended and its figures are overdue; Q4 is not yet due."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def reader(client):
    """A chief officer: reads everything, reports nothing."""
    user = UserFactory(username="cath.chief", roles=[Role.CHIEF_OFFICER])
    client.force_login(user)
    return user


@pytest.fixture
def recorder():
    return UserFactory(username="pat.performance", roles=[Role.PERFORMANCE_TEAM])


def url(indicator):
    return reverse("indicators:indicator-detail", args=[indicator.pk])


def record(indicator, by, figures):
    """figures: {period label: (figure or None, target or None, commentary)}."""
    for label, (value, target, commentary) in figures.items():
        if target is not None:
            services.target_set(indicator=indicator, period=period(label), value=D(target), rationale="", by=by)
        if value is not None:
            services.outturn_record(
                indicator=indicator, period=period(label), value=D(value), commentary=commentary, by=by
            )


class Cells(HTMLParser):
    """The text of each row of the table with the given id."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data

    @classmethod
    def of(cls, page, table_id):
        parser = cls(table_id)
        parser.feed(page)
        return [[" ".join(cell.split()) for cell in row] for row in parser.rows]


def text(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def calls(recorder):
    indicator = IndicatorFactory(
        code="LPI 014",
        title="Calls answered within 20 seconds",
        description="How quickly we answer the phone.",
        definition="Calls answered within 20 seconds divided by calls received.",
        data_source="Telephony system",
        responsible_officer=UserFactory(username="olly", first_name="Olly", last_name="Officer"),
        baseline=D("80.0"),
        baseline_year="2007/08",
    )
    record(
        indicator,
        recorder,
        {
            "2025/26 Q1": ("96.0", "95.0", "Ahead of target."),
            "2025/26 Q2": ("92.1", "95.0", "Two advisers left; recruiting."),
            "2025/26 Q3": (None, "95.0", ""),
            "2025/26 Q4": (None, "96.0", ""),
        },
    )
    return indicator


class TestContent:
    def test_definition(self, client, reader, calls):
        page = text(client.get(url(calls)).content.decode())
        for words in [
            "LPI 014",
            "Calls answered within 20 seconds",
            "How quickly we answer the phone.",
            "Calls answered within 20 seconds divided by calls received.",
            "Percentage, 1 decimal place",
            "Higher is better",
            "Quarterly",
            "Snapshot: each figure stands for its own period",
            "Telephony system",
            calls.service.name,
            "Olly Officer",
            calls.portfolio.name,
            "Kind Local",
            "Internal: not shown to the public",
            "80.0% in 2007/08",
        ]:
            assert words in page, words

    def test_one_heading_level_one(self, client, reader, calls):
        assert client.get(url(calls)).content.decode().count("<h1") == 1

    def test_summary_sentence(self, client, reader, calls):
        page = client.get(url(calls)).content.decode()
        assert (
            "In 2025/26 Q2 the figure was 92.1% against a target of 95.0%: "
            "Amber (provisional: target not signed off), worsening since the previous quarter." in page
        )

    def test_summary_year_to_date_and_last_year(self, client, reader, recorder):
        homes = IndicatorFactory(unit=Unit.NUMBER, decimal_places=0, is_cumulative=True)
        record(
            homes,
            recorder,
            {"2024/25 Q1": ("30", None, ""), "2024/25 Q4": ("45", None, ""), "2025/26 Q1": ("40", "50", "")},
        )
        page = client.get(url(homes)).content.decode()
        assert (
            "In 2025/26 Q1 the figure year to date was 40 against a target of 50: "
            "Red (provisional: target not signed off), "
            "worsening since the previous quarter and improving since the same quarter last year." in page
        )

    def test_table_rows_match_the_figures(self, client, reader, calls):
        rows = Cells.of(client.get(url(calls)).content.decode(), "figures")
        assert rows[0] == [
            "Period",
            "Figure",
            "Target",
            "Rating",
            "Since the previous quarter",
            "Since the same quarter last year",
            "Note",
        ]
        assert rows[1:] == [
            ["2025/26 Q1", "96.0%", "95.0%", f"Green {PROVISIONAL}", "No comparison", "No comparison", ""],
            ["2025/26 Q2", "92.1%", "95.0%", f"Amber {PROVISIONAL}", "↓ Worsening", "No comparison", ""],
            ["2025/26 Q3", "No figure", "95.0%", "Overdue", "", "", ""],
            ["2025/26 Q4", "No figure", "96.0%", "Not yet due", "", "", ""],
        ]

    def test_chart_has_a_title_description_and_a_marker_per_rated_period(self, client, reader, calls):
        page = client.get(url(calls)).content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "In 2025/26 Q2 the figure was 92.1%" in svg[svg.index("<desc") :]
        assert re.findall(r'class="pmis-chart__marker" data-rag="(\w+)"', svg) == ["green", "amber"]

    def test_commentary_newest_first(self, client, reader, calls):
        page = client.get(url(calls)).content.decode()
        assert page.index("Two advisers left; recruiting.") < page.index("Ahead of target.")

    def test_plans_and_priorities(self, client, reader, calls):
        plan = Plan.objects.create(
            kind=PlanKind.CORPORATE, title="Corporate Plan 2025-28", first_year=2025, last_year=2027
        )
        Priority.objects.create(plan=plan, title="Responsive services").indicators.add(calls)
        page = text(client.get(url(calls)).content.decode())
        assert "Corporate Plan 2025-28 (corporate plan): Responsive services" in page

    def test_no_figures_yet(self, client, reader):
        indicator = IndicatorFactory(code="LPI 900")
        page = text(client.get(url(indicator)).content.decode())
        assert "No figures have been reported for LPI 900 yet." in page
        assert "There are no figures or targets for this indicator yet." in page
        assert "No comparator figures have been entered." in page


class TestNationalAndProxy:
    def test_links_both_ways(self, client, reader):
        national = IndicatorFactory(
            code="NI 195", title="Improved street cleanliness", kind=Kind.NATIONAL, is_collected=False
        )
        proxy = IndicatorFactory(
            code="LPI 195", title="Streets clean on inspection", kind=Kind.PROXY, national_indicator=national
        )
        proxy_page = client.get(url(proxy)).content.decode()
        assert f'href="{url(national)}">NI 195 Improved street cleanliness</a>' in proxy_page
        assert "Local/proxy" in proxy_page
        national_page = client.get(url(national)).content.decode()
        assert f'href="{url(proxy)}">LPI 195 Streets clean on inspection</a>' in national_page
        assert "not collected by the council: kept for reference" in national_page

    def test_a_local_indicator_has_no_national_link(self, client, reader, calls):
        page = text(client.get(url(calls)).content.decode())
        assert "Stands in for" not in page and "stand in for it" not in page


class TestTolerance:
    def tolerance(self, client, indicator):
        page = client.get(url(indicator)).content.decode()
        start = page.index('id="tolerance"')
        return text(page[start : page.index("</dd>", start)].split(">", 1)[1])

    def test_the_corporate_default_recorded_at_installation(self, client, reader, calls):
        assert self.tolerance(client, calls) == (
            "5% of the target The corporate tolerance from the first period. Reason: Corporate default at installation"
        )

    def test_corporate_policy_in_force_for_the_latest_period(self, client, reader, recorder, calls):
        TolerancePolicy.objects.create(
            tolerance=D("0.1"),
            reason="Agreed by Cabinet in March.",
            effective_from=period("2025/26 Q1"),
            set_by=recorder,
        )
        TolerancePolicy.objects.create(
            tolerance=D("0.02"), reason="Not yet in force.", effective_from=period("2026/27 Q1"), set_by=recorder
        )
        assert self.tolerance(client, calls) == (
            "10% of the target The corporate tolerance from 2025/26 Q1. Reason: Agreed by Cabinet in March."
        )

    def test_the_indicators_own_override(self, client, reader, recorder, calls):
        TolerancePolicy.objects.create(
            tolerance=D("0.1"), reason="x", effective_from=period("2025/26 Q1"), set_by=recorder
        )
        calls.tolerance, calls.tolerance_mode = D("0.075"), ToleranceMode.RELATIVE
        calls.save()
        assert self.tolerance(client, calls) == (
            "7.5% of the target Set for this indicator, overriding the corporate tolerance."
        )
        calls.tolerance, calls.tolerance_mode = D("2"), ToleranceMode.ABSOLUTE
        calls.save()
        assert self.tolerance(client, calls).startswith("2.0 percentage points either side of the target")

    def test_data_only(self, client, reader):
        indicator = IndicatorFactory(polarity=Polarity.NONE)
        assert self.tolerance(client, indicator) == "None Data only: this indicator is not rated."


def benchmark_list(page):
    start = page.index('id="benchmarking"')
    return text(page[start : page.index("Plans and priorities", start)].split(">", 1)[1])


class TestBenchmarking:
    def benchmark_values(self, indicator, label, numbers, group="Nearest neighbours"):
        for n, value in enumerate(numbers):
            BenchmarkValue.objects.create(
                indicator=indicator, period=period(label), group=group, council=f"Council {n}", value=D(value)
            )

    def test_higher_is_better(self, client, reader, calls):
        self.benchmark_values(calls, "2025/26 Q1", ["1", "2"])  # an older period: not shown
        self.benchmark_values(calls, "2025/26 Q2", ["90.0", "94.0", "91.0", "93.0"])
        page = benchmark_list(client.get(url(calls)).content.decode())
        # Quartiles of 90, 91, 93, 94: 90.75, 92, 93.25 (shown to one decimal place).
        assert "Councils compared 4 Our figure 92.1% Median 92.0%" in page
        assert "Lower quartile 90.8% Upper quartile 93.2%" in page
        assert "Our position Second quartile (better than the median)" in page
        assert "2025/26 Q2 figure" in page

    def test_lower_is_better_reverses_the_quartiles(self, client, reader, recorder):
        waiting = IndicatorFactory(polarity=Polarity.LOWER, unit=Unit.DAYS, decimal_places=0)
        record(waiting, recorder, {"2025/26 Q2": ("12", "14", "")})
        self.benchmark_values(waiting, "2025/26 Q2", ["20", "15", "12", "30"])
        page = benchmark_list(client.get(url(waiting)).content.decode())
        # Quartiles of 12, 15, 20, 30: 14.25, 17.5, 22.5; 12 days is among the lowest, so the best.
        assert "Our position Top quartile (best 25%)" in page
        assert "for this indicator, the lowest figures" in page

    def test_ties_and_few_benchmarks(self, client, reader, calls):
        self.benchmark_values(calls, "2025/26 Q2", ["92.1", "92.1", "95.0"], group="County councils")
        page = benchmark_list(client.get(url(calls)).content.decode())
        # Quartiles of 92.1, 92.1, 95.0: 92.1, 92.1, 93.55; equal to the median is the better quarter.
        assert "Councils compared 3 (fewer than 4, so treat the quartiles with caution)" in page
        assert "Our position Second quartile (better than the median)" in page

    def test_data_only_has_no_quartile(self, client, reader, recorder):
        context = IndicatorFactory(polarity=Polarity.NONE)
        record(context, recorder, {"2025/26 Q2": ("50.0", None, "")})
        self.benchmark_values(context, "2025/26 Q2", ["40.0", "60.0"])
        page = benchmark_list(client.get(url(context)).content.decode())
        assert "Our position No quartile position: data only" in page


class TestLinks:
    def test_history_and_no_entry_link_for_a_reader(self, client, reader, calls):
        page = client.get(url(calls)).content.decode()
        assert reverse("indicators:indicator-history", args=[calls.pk]) in page
        assert "Enter or correct" not in page

    def test_entry_link_for_the_latest_period_for_someone_who_reports_it(self, client, calls):
        officer = UserFactory(roles=[Role.OFFICER])
        calls.responsible_officer = officer
        calls.save()
        client.force_login(officer)
        page = client.get(url(calls)).content.decode()
        entry = reverse("indicators:outturn-entry", args=[calls.pk, period("2025/26 Q3").pk])
        assert f'href="{entry}">Enter or correct the 2025/26 Q3 figure' in page


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client, calls):
        response = client.get(url(calls))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_someone_without_a_role_is_refused(self, client, calls):
        client.force_login(UserFactory())
        assert client.get(url(calls)).status_code == 403

    @pytest.mark.parametrize("role", list(Role))
    def test_every_role_reads_it(self, client, calls, role):
        client.force_login(UserFactory(roles=[role]))
        assert client.get(url(calls)).status_code == 200

    def test_unknown_indicator(self, client, reader):
        assert client.get(reverse("indicators:indicator-detail", args=[999999])).status_code == 404


def test_runs_a_fixed_number_of_queries(client, recorder):
    client.force_login(recorder)
    plan = Plan.objects.create(kind=PlanKind.CORPORATE, title="Corporate Plan", first_year=2020, last_year=2027)
    priority = Priority.objects.create(plan=plan, title="Responsive services")
    TolerancePolicy.objects.create(tolerance=D("0.1"), reason="x", effective_from=period("2019/20 Q1"), set_by=recorder)

    def build(quarters):
        indicator = IndicatorFactory(responsible_officer=recorder)
        priority.indicators.add(indicator)
        labels = [f"{2025 - q // 4}/{(2026 - q // 4) % 100:02d} Q{4 - q % 4}" for q in range(quarters)]
        record(indicator, recorder, dict.fromkeys(labels, ("90.0", "95.0", "Comment.")))
        for label in labels:
            BenchmarkValue.objects.create(indicator=indicator, period=period(label), group="G", council="C", value=D(1))
        return indicator

    few, many = build(4), build(24)
    with CaptureQueriesContext(connection) as few_queries:
        assert client.get(url(few)).status_code == 200
    with CaptureQueriesContext(connection) as many_queries:
        page = client.get(url(many)).content.decode()
    assert page.count('class="pmis-chart__marker"') == 24
    assert len(few_queries) == len(many_queries)


def test_a_note_on_a_figure_shows_on_the_chart_and_in_the_table(client, recorder):
    """The performance team or the indicator's reporters note a period's figure; the chart
    marks it with a numbered dotted line and the table gives its text; empty takes it off."""
    from indicators.models import ChartNote

    indicator = IndicatorFactory(responsible_officer=recorder)
    record(indicator, recorder, {"2025/26 Q1": ("90.0", "95.0", "x"), "2025/26 Q2": ("70.0", "95.0", "y")})
    note_url = reverse("indicators:chart-note", args=[indicator.pk])
    client.force_login(UserFactory(roles=[Role.CHIEF_OFFICER]))  # reads, reports nothing
    assert client.get(note_url).status_code == 403
    client.force_login(recorder)
    assert f'href="{note_url}"' in client.get(url(indicator)).content.decode()
    body = client.post(note_url, {"period": "", "text": "x"}).content.decode()
    assert 'href="#id_period"' in body and "Choose the period the note is about." in body
    body = client.post(note_url, {"period": period("2025/26 Q2").pk, "text": "x" * 201}).content.decode()
    assert "Keep the note to 200 characters" in body and not ChartNote.objects.exists()
    q2 = period("2025/26 Q2").pk
    response = client.post(note_url, {"period": q2, "text": "New system went live"})
    assert response["Location"] == url(indicator) + "#chart"
    page = client.get(url(indicator)).content.decode()
    svg = page[page.index('id="chart"') : page.index("</svg>")]
    assert "<title>Note 1, 2025/26 Q2: New system went live</title>" in svg and ">Note 1</text>" in svg
    # (The target is not signed off, so the rating is provisional.)
    assert f"2025/26 Q2: 70.0% against a target of 95.0%, Red ({PROVISIONAL_WORDS}). Note: New system went live" in svg
    rows = Cells.of(page, "figures")
    assert rows[2][0] == "2025/26 Q2" and rows[2][-1] == "New system went live" and rows[1][-1] == ""
    # Changing the period's note replaces it; an empty note takes it off, in history.
    client.post(note_url, {"period": q2, "text": "New system live from 1 August"})
    assert ChartNote.objects.get().text == "New system live from 1 August"
    client.post(note_url, {"period": q2, "text": ""})
    assert not ChartNote.objects.exists() and ChartNote.history.count() == 3
