from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from indicators import periods
from indicators.models import Frequency, Outturn, Period, Target
from indicators.permissions import can_report_for_service, reportable, require
from organisation.models import Service
from organisation.permissions import is_performance_team

from . import services, workbooks
from .checking import describe
from .forms import ApplyForm, BenchmarksUploadForm, FrameworkUploadForm, TemplateForm, UploadForm
from .models import ImportRun, Kind
from .reading import FileProblem
from .returns import ApplyRefused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLES = {
    Kind.RETURNS: "Import figures from a spreadsheet",
    Kind.FRAMEWORK: "Import indicator definitions and targets",
    Kind.BENCHMARKS: "Import benchmarks",
    Kind.BUDGET: "Import budget monitoring",
    Kind.RISKS: "Import a risk register",
    Kind.RECOMMENDATIONS: "Import recommendations",
}
# Changes listed on the preview page; the rest are counted.
PREVIEW_ROWS = 500


def _get_run_for_user(user, pk: int) -> ImportRun:
    """The import, if it is the user's own; else 404/403."""
    run = get_object_or_404(ImportRun.objects.defer("data"), pk=pk)
    require(run.user_id == user.pk)
    return run


def _template_choices(user):
    today = timezone.localdate()
    year = periods.financial_year(today)
    # The current and previous years, and any earlier period with figures (to correct them).
    with_figures = Q(pk__in=Outturn.objects.values("period_id"))
    choices = (
        Period.objects.filter(start__lte=today)
        .filter(Q(year__gte=year - 1) | with_figures)
        .exclude(frequency=periods.YEARS)
        .order_by("-end", "frequency")
    )
    if is_performance_team(user):
        service_list = list(Service.objects.order_by("name"))
    else:
        candidates = Service.objects.filter(Q(pk=user.service_id) | Q(manager=user)).order_by("name")
        service_list = [s for s in candidates if can_report_for_service(user, s)]
    return choices, service_list


def _upload(request, kind: str, template: str, context: dict):
    require(services.may_import(request.user, kind))
    form_class = {Kind.BENCHMARKS: BenchmarksUploadForm, Kind.FRAMEWORK: FrameworkUploadForm}.get(kind, UploadForm)
    form = form_class()
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = services.import_run_create(
                kind=kind, user=request.user, filename=upload.name, data=upload.read(), choices=form.choices()
            )
            return redirect("imports:run", run.pk)
    recent = ImportRun.objects.filter(user=request.user, kind=kind).defer("data")[:5]
    return render(request, template, {"form": form, "kind": kind, "title": TITLES[kind], "recent": recent, **context})


@login_required
def returns_import(request):
    """Upload figures; on GET with a period, download the returns template instead."""
    require(services.may_import(request.user, Kind.RETURNS))
    choices, service_list = _template_choices(request.user)
    template_form = TemplateForm(
        request.GET if "period" in request.GET else None, periods=choices, services=service_list
    )
    if request.method == "GET" and template_form.is_bound and template_form.is_valid():
        period = template_form.cleaned_data["period"]
        service = template_form.service(service_list)
        return _template_download(request.user, period, service)
    return _upload(request, Kind.RETURNS, "imports/returns.html", {"template_form": template_form})


def _template_download(user, period: Period, service: Service | None) -> HttpResponse:
    """Five queries whatever the number of indicators: indicators, targets, the previous
    period, its outturns (and the user's roles)."""
    indicators = reportable(user).filter(frequency=period.frequency).order_by("code")
    if service is not None:
        indicators = indicators.filter(service=service)
    indicators = list(indicators)
    targets = dict(Target.objects.filter(indicator__in=indicators, period=period).values_list("indicator_id", "value"))
    per_year = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 1}[period.frequency]
    year, number = (period.year, period.number - 1) if period.number > 1 else (period.year - 1, per_year)
    previous = Period.objects.filter(frequency=period.frequency, year=year, number=number).first()
    last = {}
    if previous:
        last = dict(
            Outturn.objects.filter(indicator__in=indicators, period=previous).values_list("indicator_id", "value")
        )
    rows = [{"indicator": i, "target": targets.get(i.pk), "last": last.get(i.pk)} for i in indicators]
    scope = service.name if service else "my indicators"
    data = workbooks.returns_template(rows=rows, period=period, title=f"{period} returns for {scope}")
    response = HttpResponse(data, content_type=XLSX)
    name = f"returns-{period.label.replace('/', '-').replace(' ', '-')}-{service.code if service else 'mine'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def framework_import(request):
    return _upload(request, Kind.FRAMEWORK, "imports/upload.html", {})


@login_required
def benchmarks_import(request):
    return _upload(request, Kind.BENCHMARKS, "imports/upload.html", {})


@login_required
def budget_import(request):
    return _upload(request, Kind.BUDGET, "imports/upload.html", {})


@login_required
def risks_import(request):
    return _upload(request, Kind.RISKS, "imports/upload.html", {})


@login_required
def recommendations_import(request):
    return _upload(request, Kind.RECOMMENDATIONS, "imports/upload.html", {})


@login_required
def formats(request):
    """The columns of every file format PMIS imports."""
    require(any(services.may_import(request.user, kind) for kind in Kind))
    return render(request, "imports/formats.html")


@login_required
def run_detail(request, pk: int):
    """Where an import stands: progress (the page refreshes itself), its problems by row
    and column, the preview with the ratings that will result, or what was applied."""
    return _run_page(request, _get_run_for_user(request.user, pk))


def _run_page(request, run: ImportRun, apply_form: ApplyForm | None = None):
    result = run.result or {}
    if apply_form is None and run.kind == Kind.RETURNS:
        apply_form = ApplyForm(summary=result.get("summary", {}))
    errors = [{**error, "text": describe(error)} for error in result.get("errors", [])]
    changes = result.get("changes", [])
    return render(
        request,
        "imports/run.html",
        {
            "run": run,
            "title": TITLES[run.kind],
            "errors": errors,
            "changes": changes[:PREVIEW_ROWS],
            "more_changes": max(len(changes) - PREVIEW_ROWS, 0),
            "summary": {"removes": 0, **result.get("summary", {})},
            "applied": result.get("applied"),
            "percent": int(100 * run.rows_checked / run.rows_total) if run.rows_total else 0,
            "apply_form": apply_form,
            "notes": result.get("notes", []),
        },
    )


@require_POST
@login_required
def run_apply(request, pk: int):
    run = _get_run_for_user(request.user, pk)
    options = None
    if run.kind == Kind.RETURNS:
        form = ApplyForm(request.POST, summary=(run.result or {}).get("summary", {}))
        if not form.is_valid():
            return _run_page(request, run, form)
        options = form.options()
    try:
        services.import_run_apply_start(run=run, by=request.user, choices=options)
    except ApplyRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("imports:run", run.pk)


@login_required
def run_marked(request, pk: int):
    """The uploaded file back as a workbook, its problem cells highlighted and explained."""
    run = _get_run_for_user(request.user, pk)
    run = ImportRun.objects.get(pk=run.pk)
    try:
        data = workbooks.marked(data=bytes(run.data), filename=run.filename, errors=run.result.get("errors", []))
    except FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("imports:run", run.pk)
    response = HttpResponse(data, content_type=XLSX)
    stem = run.filename.rsplit(".", 1)[0][:100] or "import"
    safe = "".join(c if c.isalnum() or c in "-_ " else "-" for c in stem)
    response["Content-Disposition"] = f'attachment; filename="{safe}-problems.xlsx"'
    return response
