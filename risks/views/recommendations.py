"""The recommendations tracker: sources (audits, inspections, peer and scrutiny reviews) and
their recommendations, kept by the performance team and risk and audit, read by chief
officers, cabinet and scrutiny members; each recommendation's owner records its progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from indicators.permissions import require
from pmis.web import form_refusals
from reviews.models import Action

from .. import recommendations, services
from ..forms import ProgressForm, RecommendationForm, SourceForm
from ..models import Recommendation, Source
from ..permissions import can_keep, can_read_all, can_read_recommendation, can_update_recommendation


def _attempt(form, action, **kwargs):
    """Call a service with the form's version; its refusal goes on the form. The record, or None."""
    with form_refusals(form):
        return action(expected_version=form.cleaned_data["version"], **kwargs)
    return None


@login_required
def source_list(request):
    require(can_read_all(request.user))
    context = {"sources": recommendations.sources(timezone.localdate()), "may_keep": can_keep(request.user)}
    return render(request, "risks/sources.html", context)


def _source_form_page(request, source=None):
    require(can_keep(request.user))
    if request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            saved = _attempt(form, services.source_save, source=source, by=request.user, **data)
            if saved:
                messages.success(request, f"{saved.title} is saved.")
                return redirect("risks:source", saved.pk)
    elif source is not None:
        form = SourceForm(initial={f: getattr(source, f) for f in SourceForm.base_fields})
    else:
        form = SourceForm()
    return render(request, "risks/source_form.html", {"form": form, "source": source})


@login_required
def source_add(request):
    return _source_form_page(request)


@login_required
def source_edit(request, pk: int):
    return _source_form_page(request, get_object_or_404(Source, pk=pk))


@login_required
def source_report(request, pk: int):
    """The report for the audit committee or scrutiny: printable."""
    require(can_read_all(request.user))
    source = get_object_or_404(Source, pk=pk)
    today = timezone.localdate()
    context = {
        "report": recommendations.source_report(source, today),
        "today": today,
        "may_keep": can_keep(request.user),
    }
    return render(request, "risks/source_report.html", context)


def _recommendation(pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("source", "owner").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due", "pk"))
        ),
        pk=pk,
    )


def _recommendation_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@login_required
def recommendation_add(request, pk: int):
    require(can_keep(request.user))
    source = get_object_or_404(Source, pk=pk)
    form = RecommendationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form, services.recommendation_save, source=source, by=request.user, **_recommendation_fields(form)
        )
        if saved:
            messages.success(request, f"Recommendation {saved.number} is recorded.")
            return redirect("risks:source", source.pk)
    if not form.is_bound:
        form = RecommendationForm(initial={"number": source.recommendations.count() + 1})
    return render(request, "risks/recommendation_form.html", {"form": form, "source": source})


@login_required
def recommendation_edit(request, pk: int):
    require(can_keep(request.user))
    recommendation = _recommendation(pk)
    if request.method == "POST":
        form = RecommendationForm(request.POST, recommendation=recommendation)
        if form.is_valid():
            saved = _attempt(
                form,
                services.recommendation_save,
                source=recommendation.source,
                recommendation=recommendation,
                by=request.user,
                **_recommendation_fields(form),
            )
            if saved:
                messages.success(request, f"Recommendation {saved.number} is saved.")
                return redirect("risks:recommendation", saved.pk)
    else:
        initial = {f: getattr(recommendation, f) for f in RecommendationForm.base_fields if f != "actions"}
        initial.update(owner=recommendation.owner_id, actions=list(recommendation.actions.all()))
        form = RecommendationForm(initial=initial, recommendation=recommendation)
    context = {"form": form, "source": recommendation.source, "recommendation": recommendation}
    return render(request, "risks/recommendation_form.html", context)


@login_required
def recommendation_detail(request, pk: int):
    """A recommendation, its actions and history; its owner (or a keeper) records progress."""
    recommendation = _recommendation(pk)
    require(can_read_recommendation(request.user, recommendation))
    may_update = can_update_recommendation(request.user, recommendation)
    if request.method == "POST":
        require(may_update)
        form = ProgressForm(request.POST)
        if form.is_valid() and _attempt(
            form,
            services.recommendation_progress,
            recommendation=recommendation,
            status=form.cleaned_data["status"],
            evidence=form.cleaned_data["evidence"],
            by=request.user,
        ):
            messages.success(request, f"Progress on recommendation {recommendation.number} is recorded.")
            return redirect("risks:recommendation", recommendation.pk)
    else:
        form = ProgressForm(
            initial={
                "status": recommendation.status,
                "evidence": recommendation.evidence,
                "version": recommendation.version,
            }
        )
    history = list(recommendation.history.select_related("history_user").order_by("-history_date", "-history_id"))
    context = {
        "recommendation": recommendation,
        "form": form,
        "may_update": may_update,
        "may_keep": can_keep(request.user),
        "history": history,
        "today": timezone.localdate(),
    }
    return render(request, "risks/recommendation_detail.html", context)
