"""Start the year: the performance team's task list for a new financial year (GOV.UK task
list pattern): create its periods, roll plans forward, confirm the indicators to collect
and see the targets still to propose, each task with its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators import services as indicator_services
from indicators.models import CollectionYear, Frequency, Indicator, Period, Target
from indicators.periods import PERIODS_PER_YEAR, financial_year, year_label
from indicators.permissions import require
from organisation.permissions import is_performance_team
from pmis.web import run_action

from .models import Plan

PERIODS_IN_A_YEAR = sum(PERIODS_PER_YEAR.values())
COMPLETED, INCOMPLETE, NOT_STARTED, CANNOT_START = "Completed", "Incomplete", "Not yet started", "Cannot start yet"


def _year(request) -> int:
    """The year asked for (this financial year or the next), else the next."""
    this = financial_year(timezone.localdate())
    asked = request.GET.get("year") or request.POST.get("year")
    return int(asked) if asked in (str(this), str(this + 1)) else this + 1


def year_tasks(year: int) -> dict:
    """Each task of starting a year with its status and what it lists. Six queries."""
    periods = {p.frequency: p for p in Period.objects.filter(year=year, frequency=Frequency.YEAR)}
    period_count = Period.objects.filter(year=year, frequency__in=Frequency.values).count()
    whole_year = periods.get(Frequency.YEAR)
    to_roll = list(
        Plan.objects.filter(first_year__lte=year - 1, last_year=year - 1)
        .exclude(Exists(Plan.objects.filter(predecessor=OuterRef("pk"))))
        .order_by("kind", "title")
    )
    rolled = Plan.objects.filter(first_year=year, predecessor__isnull=False).count()
    confirmed = CollectionYear.objects.select_related("confirmed_by").filter(year=year).first()
    collected = missing = None
    if whole_year is not None:
        indicators = Indicator.objects.collected_during(whole_year.start, whole_year.end)
        collected = indicators.count()
        missing = list(
            indicators.exclude(Exists(Target.objects.filter(indicator=OuterRef("pk"), period__year=year)))
            .select_related("service")
            .order_by("code")
        )
    return {
        "periods": {
            "status": COMPLETED if period_count == PERIODS_IN_A_YEAR else (INCOMPLETE if period_count else NOT_STARTED),
            "count": period_count,
        },
        "plans": {
            "status": COMPLETED if not to_roll and rolled else INCOMPLETE if rolled else NOT_STARTED,
            "to_roll": to_roll,
            "rolled": rolled,
        },
        "indicators": {
            "status": CANNOT_START if whole_year is None else COMPLETED if confirmed else NOT_STARTED,
            "collected": collected,
            "confirmed": confirmed,
        },
        "targets": {
            "status": CANNOT_START if whole_year is None else COMPLETED if not missing else INCOMPLETE,
            "missing": missing or [],
        },
    }


@login_required
def start_the_year(request):
    require(is_performance_team(request.user))
    year = _year(request)
    this = financial_year(timezone.localdate())
    return render(
        request,
        "plans/start_the_year.html",
        {
            "year": year,
            "label": year_label(year),
            "years": [(y, year_label(y)) for y in (this, this + 1)],
            "tasks": year_tasks(year),
        },
    )


@require_POST
@login_required
def start_the_year_periods(request):
    require(is_performance_team(request.user))
    year = _year(request)
    indicator_services.periods_ensure_year(year=year)
    messages.success(request, f"The months, quarters and year of {year_label(year)} are created, with due dates.")
    return redirect(f"{reverse('plans:start-the-year')}?year={year}")


@require_POST
@login_required
def start_the_year_indicators(request):
    require(is_performance_team(request.user))
    year = _year(request)
    run_action(
        request,
        indicator_services.collection_year_confirm,
        f"The indicators to collect in {year_label(year)} are confirmed.",
        year=year,
    )
    return redirect(f"{reverse('plans:start-the-year')}?year={year}")
