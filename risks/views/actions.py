"""Raising an action from a risk (its owner or the registers' keepers) or from a
recommendation (its owner or the keepers): the same actions as meetings and action plans
raise, found by their owner in My actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from indicators.permissions import require
from pmis.web import form_refusals

from .. import services
from ..forms import ActionRaiseForm
from ..models import Recommendation, Risk
from ..permissions import can_review, can_update_recommendation


def _raise(request, *, record, raise_action, context: dict, back: str):
    form = ActionRaiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with form_refusals(form):
            raise_action(**form.cleaned_data, by=request.user)
        if not form.errors:
            messages.success(request, "Action raised: its owner finds it in My actions.")
            return redirect(back, record.pk)
    return render(request, "risks/action_add.html", {"form": form, **context})


@login_required
def risk_action_add(request, pk: int):
    risk = get_object_or_404(Risk, pk=pk)
    require(can_review(request.user, risk))

    def raise_action(**fields):
        return services.risk_action_raise(risk=risk, **fields)

    context = {"what": f"{risk.reference} {risk.title}", "back_url": "risks:risk", "record": risk}
    return _raise(request, record=risk, raise_action=raise_action, context=context, back="risks:risk")


@login_required
def recommendation_action_add(request, pk: int):
    recommendation = get_object_or_404(Recommendation.objects.select_related("source"), pk=pk)
    require(can_update_recommendation(request.user, recommendation))

    def raise_action(**fields):
        return services.recommendation_action_raise(recommendation=recommendation, **fields)

    what = f"{recommendation.source.title}, recommendation {recommendation.number}"
    context = {"what": what, "back_url": "risks:recommendation", "record": recommendation}
    return _raise(
        request, record=recommendation, raise_action=raise_action, context=context, back="risks:recommendation"
    )
