"""A leaver: the performance team reassigns what they answer for, in bulk, then deactivates
their account (reviews.leavers)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators.permissions import require
from organisation.permissions import is_performance_team
from pmis.web import form_errors

from .. import leavers
from ..forms import LeaverForm

KINDS = ("indicators", "actions", "milestones", "priorities")


def _leaver(request, pk: int):
    require(is_performance_team(request.user))
    leaver = get_object_or_404(get_user_model(), pk=pk)
    require(not leaver.is_superuser or request.user.is_superuser)
    return leaver


@login_required
def leaver(request, pk: int):
    """What the leaver answers for, each ticked to go to the person chosen."""
    leaver = _leaver(request, pk)
    work = leavers.leaver_work(leaver)
    if request.method == "POST":
        form = LeaverForm(request.POST, leaver=leaver, work=work)
        if form.is_valid():
            data = form.cleaned_data
            try:
                moved = leavers.leaver_reassign(
                    leaver=leaver,
                    to=data["to"],
                    chosen={kind: [int(pk) for pk in data[kind]] for kind in KINDS},
                    by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"{moved} thing{'s' if moved != 1 else ''} reassigned to {data['to']}.")
                return redirect(reverse("reviews:leaver", args=[leaver.pk]))
    else:
        form = LeaverForm(
            leaver=leaver, work=work, initial={kind: [str(r.pk) for r in getattr(work, kind)] for kind in KINDS}
        )
    chosen = {kind: {str(v) for v in (form[kind].value() or [])} for kind in KINDS}
    return render(request, "reviews/leaver.html", {"leaver": leaver, "work": work, "form": form, "chosen": chosen})


@require_POST
@login_required
def leaver_deactivate(request, pk: int):
    leaver = _leaver(request, pk)
    try:
        leavers.leaver_deactivate(leaver=leaver, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("reviews:leaver", args=[leaver.pk]))
    messages.success(request, f"{leaver}'s account is deactivated: they can no longer sign in. Their history is kept.")
    return redirect(reverse("organisation:people"))
