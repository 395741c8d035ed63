"""Scorecards and the exception report: read by everyone with a role.

Each page reads its period, filters and sort order from the URL, so a view can be
bookmarked and shared, and downloads the same rows with ?export=xlsx or ?export=csv.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from indicators import shown
from indicators.models import Frequency, Indicator, Outturn, Period, Rag, quarter_to_report
from indicators.periods import year_label
from indicators.permissions import can_read, require
from indicators.targets import late_targets
from organisation.models import Directorate, Portfolio, Service
from organisation.permissions import is_performance_team
from plans import composites
from plans.models import Plan, Priority

from .. import action_plans, committee_report, exports, groups, pack_sections, scorecards
from ..filters import ScorecardFilters
from ..models import Scorecard
from ..tables import SORT_CHOICES, Sort
from .pdf_jobs import pdf_or_job

EXPORTS = ("xlsx", "csv")


def _scoped(scope: str, pk: int) -> tuple[str, QuerySet[Indicator]]:
    """The name and collected indicators of a portfolio, directorate, service, plan or priority; else 404."""
    collected = Indicator.objects.collected()
    if scope == "portfolio":
        portfolio = get_object_or_404(Portfolio, pk=pk)
        return f"Portfolio: {portfolio.name}", collected.filter(portfolio=portfolio)
    if scope == "directorate":
        directorate = get_object_or_404(Directorate, pk=pk)
        return f"Directorate: {directorate.name}", collected.filter(service__directorate=directorate)
    if scope == "service":
        service = get_object_or_404(Service, pk=pk)
        return f"Service: {service.name}", collected.filter(service=service)
    if scope == "plan":
        plan = get_object_or_404(Plan, pk=pk)
        baskets = Priority.indicators.through.objects.filter(priority__plan=plan).values("indicator_id")
        return f"Plan: {plan.title}", collected.filter(pk__in=baskets)
    if scope == "priority":
        priority = get_object_or_404(Priority.objects.select_related("plan"), pk=pk)
        return f"Priority: {priority.title} ({priority.plan.title})", collected.filter(priorities=priority)
    raise Http404("No such scorecard scope.")


def _chosen_period(
    request: HttpRequest, indicators: QuerySet[Indicator], periods: scorecards.Periods, today: datetime.date
) -> Period | None:
    """The ended period in ?period=, else the default (the latest ended quarter with data)."""
    chosen = request.GET.get("period", "")
    if chosen:
        try:
            period = periods.get(int(chosen))
        except ValueError:
            period = None
        if period is None or period.end >= today:
            raise Http404("No such ended period.")
        return period
    quarters = [q for q in periods.by_frequency.get(Frequency.QUARTER, []) if q.end < today]
    return quarter_to_report(quarters, Outturn.objects.filter(indicator_id__in=indicators.values("pk")))


@login_required
def scorecard_list(request):
    require(can_read(request.user))
    context = {
        "scorecards": Scorecard.objects.all(),
        "portfolios": Portfolio.objects.all(),
        "directorates": Directorate.objects.prefetch_related("services"),
        "plans": Plan.objects.prefetch_related("priorities"),
        "is_team": is_performance_team(request.user),
    }
    return render(request, "reviews/scorecard_list.html", context)


@login_required
def scorecard_detail(request, slug: str):
    require(can_read(request.user))
    scorecard = get_object_or_404(Scorecard, slug=slug)
    indicators = Indicator.objects.collected().filter(scorecard_measures__scorecard=scorecard)
    return _scorecard_page(
        request,
        indicators,
        title=scorecard.name,
        description=scorecard.description,
        corporate_priorities=scorecard.is_council_scorecard,
        order=("scorecard_measures__position", "code"),
        scorecard=scorecard,
    )


@login_required
def scope_scorecard(request, scope: str, pk: int):
    require(can_read(request.user))
    title, indicators = _scoped(scope, pk)
    return _scorecard_page(request, indicators, title=title)


def _scorecard_page(
    request,
    indicators: QuerySet[Indicator],
    *,
    title: str,
    description: str = "",
    corporate_priorities: bool = False,
    order: tuple[str, ...] = ("code",),
    scorecard: Scorecard | None = None,
):
    today = timezone.localdate()
    periods = scorecards.Periods.fetch()
    filters = ScorecardFilters(request.GET)
    period = _chosen_period(request, indicators, periods, today)
    # ?view=public: the scorecard as the public pages show it (indicators.shown), so a member
    # can reconcile the two counts.
    public = request.GET.get("view") == "public"
    # A scorecard is grouped as the performance team set it up (the Council Scorecard by
    # corporate priority), unless the reader asks otherwise.
    group = request.GET.get("group", "")
    if group not in dict(groups.GROUPINGS):
        group = (scorecard and scorecard.group_by) or ("priority" if corporate_priorities else "none")
    context = {
        "title": title,
        "description": description,
        "filters": filters,
        "active_filters": filters.active(request.GET),
        "period": period,
        "ended": periods.ended(today),
        "scorecard": scorecard,
        "is_team": is_performance_team(request.user),
        "group": group,
        "groupings": groups.GROUPINGS,
        "sort_choices": SORT_CHOICES,
        "produced": today,
        "public_view": public,
        "public_rule": shown.PUBLIC_RULE,
    }
    if period is not None:
        chosen = filters.indicators(indicators.order_by(*order))
        report = scorecards.scorecard(chosen, period, periods=periods, today=today, public=public)
        sort = Sort.from_query(request.GET.get("sort", ""))
        rows = sort.rows(filters.rows(report.rows))
        export = request.GET.get("export")
        if export in EXPORTS:
            name = exports.filename(title, period.label, extension=export)
            if export == "xlsx":
                return exports.scorecard_xlsx(rows, title=f"{title}, {period.label}", name=name)
            return exports.scorecard_csv(rows, name=name)
        context.update(report=report, headers=sort.headers(), rows=rows)
        if export == "docx" and group == "none":
            # A committee report is always grouped: by corporate priority unless asked by portfolio.
            group = "priority"
        priorities = composites.corporate_priorities(period) if corporate_priorities or group == "priority" else []
        if corporate_priorities:
            # The Council Scorecard opens with the corporate priorities' composite statuses.
            context["corporate_priorities"] = priorities
        if group == "priority":
            context["groups"] = groups.by_priority(rows, priorities, period)
        elif group == "portfolio":
            context["groups"] = groups.by_portfolio(rows, chosen, period)
        else:
            context["groups"] = [groups.Group("", rows)]
        if export == "docx":
            content = committee_report.committee_report(
                report, context["groups"], title=title, scope=title, produced=today
            )
            name = exports.filename(title, period.label, "committee report", extension="docx")
            return committee_report.docx_response(content, filename=name)
    return render(request, "reviews/scorecard.html", context)


def _attach_actions(rows: list[scorecards.Row], period) -> list[scorecards.Row]:
    """Give each row the actions raised against its indicator (its remedial action plan) with
    their progress: those still open and those closed after the period ended (earlier ones
    answered earlier figures); return the Red rows without an open one (exceptions themselves)."""
    by_indicator = action_plans.actions_by_indicator(row.indicator.pk for row in rows)
    for row in rows:
        row.actions = [
            action
            for action in by_indicator.get(row.indicator.pk, [])
            if action.is_open or (action.closed_on and action.closed_on > period.end)
        ]
    return [row for row in rows if row.status == Rag.RED and not action_plans.has_plan(row.actions)]


EXCEPTION_SCOPES = {"council": None, "portfolio": Portfolio, "directorate": Directorate}


@login_required
def exception_report(request):
    require(can_read(request.user))
    today = timezone.localdate()
    scope = request.GET.get("scope") or "council"
    if scope not in EXCEPTION_SCOPES:
        raise Http404("No such scope.")
    if scope == "council":
        scope_name, indicators = "Whole council", Indicator.objects.collected()
    else:
        try:
            pk = int(request.GET.get("pk", ""))
        except ValueError:
            raise Http404("Choose a portfolio or directorate.") from None
        scope_name, indicators = _scoped(scope, pk)
    section_scope = pack_sections.Scope(scope, None if scope == "council" else pk, today)
    extra_sections = pack_sections.readable(pack_sections.build(section_scope, user=request.user), request.user)
    periods = scorecards.Periods.fetch()
    period = _chosen_period(request, indicators, periods, today)
    context = {
        "scope": scope,
        "scope_name": scope_name,
        "pk": request.GET.get("pk", ""),
        "period": period,
        "ended": periods.ended(today),
        "portfolios": Portfolio.objects.all(),
        "directorates": Directorate.objects.all(),
        "produced": today,
        "likely_to_miss": request.GET.get("likely_to_miss") == "1",
        "extra_sections": extra_sections,
    }
    if period is not None:
        report = scorecards.exceptions(
            indicators.order_by("code"),
            period,
            periods=periods,
            today=today,
            include_likely_to_miss=context["likely_to_miss"],
        )
        without_plan = _attach_actions(report.red_and_amber, period)
        export = request.GET.get("export")
        if export in EXPORTS:
            name = exports.filename("exception report", scope_name, period.label, extension=export)
            if export == "xlsx":
                title = f"Exception report: {scope_name}, {period.label}"
                return exports.exceptions_xlsx(report, without_plan, extra_sections, title=title, name=name)
            return exports.exceptions_csv(report, name=name)
        context.update(report=report, year_label=year_label(period.year), without_plan=without_plan)
        context["late_deadline"], context["late_targets"] = late_targets(indicators, today, period.year)
        if export == "pdf":
            name = exports.filename("exception report", scope_name, period.label, extension="pdf")
            page = request.GET.copy()
            page.pop("export")
            context["page_address"] = request.build_absolute_uri(f"{request.path}?{page.urlencode()}")
            rows = len(report.red_and_amber) + len(report.overdue) + len(report.targets_not_signed_off)
            rows += len(report.likely_to_miss) + sum(len(shown.rows) for shown in extra_sections)
            return pdf_or_job(
                request,
                "reviews/exception_report.html",
                context,
                filename=name,
                title=f"Exception report: {scope_name}, {period.label}",
                back_url=f"{request.path}?{page.urlencode()}",
                rows=rows,
            )
    return render(request, "reviews/exception_report.html", context)
