"""Setting scorecards up (the performance team): a scorecard's name, description and
grouping; its measures, found by code, title, portfolio or service, added, removed and
put in order. Plain forms: no JavaScript needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from indicators.models import Indicator
from indicators.permissions import require
from organisation.permissions import is_performance_team
from pmis.history import changes
from pmis.web import form_refusals

from .. import services
from ..forms import MeasureSearchForm, ScorecardForm
from ..models import Scorecard

# Search results shown at once; a narrower search finds the rest.
RESULTS = 50


@login_required
def scorecard_edit(request, slug: str | None = None):
    require(is_performance_team(request.user))
    scorecard = get_object_or_404(Scorecard, slug=slug) if slug else None
    if request.method == "POST":
        form = ScorecardForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with form_refusals(form):
                saved = services.scorecard_save(
                    scorecard=scorecard,
                    name=data["name"],
                    description=data["description"],
                    group_by=data["group_by"],
                    by=request.user,
                    expected_version=data["version"],
                )
            if not form.errors:
                messages.success(request, f"The scorecard “{saved.name}” is saved.")
                return redirect(reverse("reviews:scorecard-measures", args=[saved.slug]))
    elif scorecard:
        form = ScorecardForm(
            initial={
                "name": scorecard.name,
                "description": scorecard.description,
                "group_by": scorecard.group_by,
                "version": scorecard.version,
            }
        )
    else:
        form = ScorecardForm()
    history = (
        changes(
            scorecard.history.select_related("history_user"),
            [("name", "Name"), ("description", "Description"), ("group_by", "Grouped by")],
        )
        if scorecard
        else []
    )
    return render(request, "reviews/scorecard_edit.html", {"form": form, "scorecard": scorecard, "changes": history})


def _search(form: MeasureSearchForm, on_card: set[int]) -> list[Indicator] | None:
    """Collected indicators matching the search and not yet on the scorecard (None: no search)."""
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    if not (data["q"] or data["portfolio"] or data["service"]):
        return None
    found = Indicator.objects.collected().exclude(pk__in=on_card).select_related("service", "portfolio")
    for word in data["q"].split():
        found = found.filter(Q(code__icontains=word) | Q(title__icontains=word))
    if data["portfolio"]:
        found = found.filter(portfolio=data["portfolio"])
    if data["service"]:
        found = found.filter(service=data["service"])
    return list(found.order_by("code")[: RESULTS + 1])


@login_required
def scorecard_measures(request, slug: str):
    """Add measures found by a search; remove and reorder the scorecard's measures."""
    require(is_performance_team(request.user))
    scorecard = get_object_or_404(Scorecard, slug=slug)
    measures = list(scorecard.measures.select_related("indicator__service", "indicator__portfolio"))
    on_card = [m.indicator for m in measures]
    errors: list[str] = []
    if request.method == "POST":
        version = request.POST.get("version", "")
        expected = int(version) if version.isdigit() else None
        if "add" in request.POST or request.POST.get("action") == "add":
            ids = {v for v in request.POST.getlist("add") if v.isdigit()}
            added = list(Indicator.objects.collected().filter(pk__in=ids).order_by("code"))
            chosen = on_card + [i for i in added if i not in on_card]
            if not added:
                errors.append("Tick the indicators to add, then press “Add the ticked indicators”.")
        else:
            removed = set(request.POST.getlist("remove"))
            places = {}
            for n, indicator in enumerate(on_card, start=1):
                typed = request.POST.get(f"position-{indicator.pk}", str(n)).strip()
                if not typed.isdigit() or int(typed) < 1:
                    errors.append(f"Enter the place of {indicator.code} as a whole number, like 3.")
                places[indicator.pk] = (int(typed) if typed.isdigit() else n, n)
            kept = [i for i in on_card if str(i.pk) not in removed]
            chosen = sorted(kept, key=lambda i: places[i.pk])
        if not errors:
            try:
                services.scorecard_measures_set(
                    scorecard=scorecard, indicators=chosen, by=request.user, expected_version=expected
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, f"The measures of “{scorecard.name}” are saved ({len(chosen)} in all).")
                return redirect(reverse("reviews:scorecard-measures", args=[scorecard.slug]) + _query(request))
    search = MeasureSearchForm(request.GET or None)
    found = _search(search, {i.pk for i in on_card})
    history = changes(scorecard.history.select_related("history_user"), [("name", "Name"), ("group_by", "Grouped by")])
    return render(
        request,
        "reviews/scorecard_measures.html",
        {
            "scorecard": scorecard,
            "measures": measures,
            "search": search,
            "found": found[:RESULTS] if found is not None else None,
            "more": found is not None and len(found) > RESULTS,
            "errors": errors,
            "changes": history,
        },
    )


def _query(request) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""
