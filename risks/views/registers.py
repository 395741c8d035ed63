"""Risk registers: read by the performance team, risk and audit, chief officers, portfolio
holders and scrutiny members; kept by the performance team and risk and audit; each risk
reviewed by its owner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from indicators.permissions import require
from pmis.web import form_refusals
from reviews.models import Action

from .. import exports, register, services
from ..forms import RegisterFilterForm, ReviewForm, RiskForm
from ..models import Risk, RiskMatrix
from ..permissions import can_keep, can_read_all, can_read_risk, can_review

LINKS = ("priorities", "plans", "indicators", "actions")


def _filters(request):
    form = RegisterFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    queryset = register.filtered(
        register=chosen.get("register") or "",
        directorate=chosen.get("directorate"),
        category=chosen.get("category"),
    )
    return form, queryset, bool(chosen and any(chosen.values()))


@login_required
def register_page(request):
    require(can_read_all(request.user))
    form, queryset, filtered = _filters(request)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        # A directorate's register (or the risks as filtered) as an Excel workbook.
        chosen = form.cleaned_data if form.is_valid() else {}
        directorate = chosen.get("directorate")
        title = f"{directorate.name} risk register" if directorate else "Risk registers"
        return exports.register_xlsx(
            register.with_actions(queryset),
            title=f"{title}, {today:%-d %B %Y}",
            name=f"{slugify(title)}-{today.isoformat()}.xlsx",
        )
    risks = register.rows(queryset)
    context = {
        "form": form,
        "filtered": filtered,
        "risks": risks,
        "today": today,
        "may_keep": can_keep(request.user),
    }
    return render(request, "risks/register.html", context)


def _risk(pk: int) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("owner", "category", "directorate").prefetch_related(
            "priorities__plan",
            "plans",
            "indicators",
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
        ),
        pk=pk,
    )


@login_required
def risk_detail(request, pk: int):
    risk = _risk(pk)
    require(can_read_risk(request.user, risk))
    context = {
        "risk": risk,
        "matrix": RiskMatrix.current(),
        "reviews": list(risk.reviews.select_related("by")),
        "changes": register.risk_history(risk),
        "today": timezone.localdate(),
        "may_keep": can_keep(request.user),
        "may_review": can_review(request.user, risk),
    }
    return render(request, "risks/risk_detail.html", context)


def _save(request, form, risk=None):
    data = form.cleaned_data
    fields = {name: data[name] for name in form.fields if name != "version"}
    with form_refusals(form):
        return services.risk_save(risk=risk, by=request.user, expected_version=data["version"], **fields)
    return None


@login_required
def risk_add(request):
    require(can_keep(request.user))
    matrix = RiskMatrix.current()
    form = RiskForm(request.POST if request.method == "POST" else None, matrix=matrix)
    if request.method == "POST" and form.is_valid() and (risk := _save(request, form)):
        messages.success(request, f"{risk.reference} “{risk.title}” is on the {risk.register_name.lower()} register.")
        return redirect("risks:risk", risk.pk)
    return render(request, "risks/risk_form.html", {"form": form, "matrix": matrix})


@login_required
def risk_edit(request, pk: int):
    require(can_keep(request.user))
    risk = _risk(pk)
    matrix = RiskMatrix.current()
    if request.method == "POST":
        form = RiskForm(request.POST, matrix=matrix, risk=risk)
        if form.is_valid() and _save(request, form, risk):
            messages.success(request, f"Your changes to {risk.reference} are saved.")
            return redirect("risks:risk", risk.pk)
    else:
        initial = {name: getattr(risk, name) for name in RiskForm.base_fields if name not in LINKS}
        initial.update({name: list(getattr(risk, name).all()) for name in LINKS})
        initial.update(owner=risk.owner_id, category=risk.category_id, directorate=risk.directorate_id)
        form = RiskForm(initial=initial, matrix=matrix, risk=risk)
    return render(request, "risks/risk_form.html", {"form": form, "matrix": matrix, "risk": risk})


@login_required
def risk_review(request, pk: int):
    risk = _risk(pk)
    require(can_review(request.user, risk))
    matrix = RiskMatrix.current()
    if request.method == "POST":
        form = ReviewForm(request.POST, matrix=matrix)
        if form.is_valid():
            data = form.cleaned_data
            with form_refusals(form):
                services.risk_review(
                    risk=risk,
                    residual_likelihood=data["residual_likelihood"],
                    residual_impact=data["residual_impact"],
                    controls=data["controls"],
                    comment=data["comment"],
                    by=request.user,
                    expected_version=data["version"],
                )
            if not form.errors:
                messages.success(request, f"Your review of {risk.reference} is recorded.")
                return redirect("risks:risk", risk.pk)
    else:
        form = ReviewForm(
            initial={
                "residual_likelihood": risk.residual_likelihood,
                "residual_impact": risk.residual_impact,
                "controls": risk.controls,
                "version": risk.version,
            },
            matrix=matrix,
        )
    return render(request, "risks/risk_review.html", {"form": form, "risk": risk, "today": timezone.localdate()})


@login_required
def heat_map(request):
    require(can_read_all(request.user))
    form, queryset, filtered = _filters(request)
    matrix = RiskMatrix.current()
    risks = list(queryset.only("residual_likelihood", "residual_impact"))
    context = {
        "form": form,
        "filtered": filtered,
        "heat": register.heat_map(risks, matrix),
        "query": request.GET.urlencode(),
        "may_keep": can_keep(request.user),
    }
    return render(request, "risks/heat_map.html", context)


@login_required
def corporate(request):
    require(can_read_all(request.user))
    risks = register.corporate_register()
    matrix = RiskMatrix.current()
    context = {
        "risks": risks,
        "matrix": matrix,
        "heat": register.heat_map(risks, matrix),
        "today": timezone.localdate(),
        "may_keep": can_keep(request.user),
    }
    return render(request, "risks/corporate.html", context)


@login_required
def corporate_xlsx(request):
    require(can_read_all(request.user))
    today = timezone.localdate()
    return exports.register_xlsx(
        register.corporate_register(),
        title=f"Corporate risk register, {today:%-d %B %Y}",
        name=f"corporate-risk-register-{today.isoformat()}.xlsx",
    )
