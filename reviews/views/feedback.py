"""The complaints and compliments log, kept by the performance team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from indicators.permissions import require
from organisation.permissions import is_performance_team

from .. import services
from ..forms import FeedbackForm
from ..models import Feedback


@login_required
def feedback(request):
    require(is_performance_team(request.user))
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.feedback_log(feedback=form.save(commit=False), by=request.user)
        messages.success(request, "Logged.")
        return redirect("reviews:feedback")
    items = Feedback.objects.select_related("service").order_by("-received", "-pk")[:50]
    return render(request, "reviews/feedback.html", {"form": form, "items": items})
