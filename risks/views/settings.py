"""The risk categories with the council's appetite for each, and the scoring matrix: kept by
the performance team and risk and audit in these pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from indicators.permissions import require
from pmis.web import form_refusals

from .. import services
from ..forms import CategoryForm, MatrixForm
from ..models import LIVE_STATUSES, RiskCategory, RiskMatrix
from ..permissions import can_keep


def _category_save(request, form, category=None):
    data = form.cleaned_data
    with form_refusals(form):
        return services.category_save(
            category=category,
            name=data["name"],
            appetite=data["appetite"],
            by=request.user,
            expected_version=data["version"],
        )
    return None


@login_required
def categories(request):
    """The categories, and a form to add one."""
    require(can_keep(request.user))
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and (category := _category_save(request, form)):
        messages.success(request, f"The category {category.name} is added.")
        return redirect("risks:categories")
    listed = RiskCategory.objects.annotate(live=Count("risks", filter=Q(risks__status__in=LIVE_STATUSES)))
    context = {"form": form, "categories": list(listed), "matrix": RiskMatrix.current()}
    return render(request, "risks/categories.html", context)


@login_required
def category_edit(request, pk: int):
    require(can_keep(request.user))
    category = get_object_or_404(RiskCategory, pk=pk)
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid() and _category_save(request, form, category):
            messages.success(request, f"The category {form.cleaned_data['name']} is saved.")
            return redirect("risks:categories")
    else:
        form = CategoryForm(initial={"name": category.name, "appetite": category.appetite, "version": category.version})
    return render(request, "risks/category_edit.html", {"form": form, "category": category})


@login_required
def matrix_edit(request):
    require(can_keep(request.user))
    matrix = RiskMatrix.current()
    if request.method == "POST":
        form = MatrixForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with form_refusals(form):
                services.matrix_save(
                    likelihood_words=form.words(data["likelihood_words"]),
                    impact_words=form.words(data["impact_words"]),
                    by=request.user,
                    expected_version=data["version"],
                )
            if not form.errors:
                messages.success(request, "The scoring matrix is saved.")
                return redirect("risks:categories")
    else:
        form = MatrixForm(
            initial={
                "likelihood_words": matrix.likelihood_words,
                "impact_words": matrix.impact_words,
                "version": matrix.version if matrix.pk else None,
            }
        )
    return render(request, "risks/matrix_edit.html", {"form": form, "matrix": matrix})
