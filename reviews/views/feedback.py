"""The complaints and compliments log, kept by the services themselves (and the performance team)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from indicators.permissions import require
from pmis.web import form_errors

from .. import services
from ..forms import FeedbackForm
from ..models import Feedback


@login_required
def feedback(request):
    allowed = services.feedback_services(request.user)
    require(allowed.exists())
    form = FeedbackForm(request.POST if request.method == "POST" else None, services=allowed, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_log(feedback=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Logged.")
            return redirect("reviews:feedback")
    items = (
        Feedback.objects.filter(service__in=allowed)
        .select_related("service", "action")
        .order_by("-received", "-pk")[:50]
    )
    return render(request, "reviews/feedback.html", {"form": form, "items": items})
