"""The indicator register's definitions: the performance team creates, edits and retires
indicators (a change that alters ratings previewed first); service managers propose new
indicators and changes for their own services, which the performance team approves or
declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from organisation.models import Role
from organisation.permissions import has_role, is_performance_team
from pmis.web import form_errors, form_refusals

from ..definitions import (
    RATED_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_delete_refusal,
    indicator_proposal_approve,
    indicator_proposal_decline,
    indicator_propose,
    indicator_update,
)
from ..forms import DeclineForm, IndicatorDefinitionForm, IndicatorProposalForm
from ..models import Indicator, IndicatorProposal, Period, ProposalStatus
from ..permissions import proposable_services, require
from ..ratings import ratings_changes


def _indicators(user):
    """The indicators whose definitions the user may see here: all for the team, else
    those of the services they may propose for."""
    indicators = Indicator.objects.select_related("service", "collected_from", "retired_after").order_by("code")
    if is_performance_team(user):
        return indicators.filter(Q(is_collected=True) | Q(retired_after__isnull=False))
    return indicators.filter(service__in=proposable_services(user))


def _proposals(user):
    proposals = IndicatorProposal.objects.select_related("service", "proposed_by", "indicator").filter(
        status=ProposalStatus.PENDING
    )
    if is_performance_team(user):
        return proposals
    return proposals.filter(service__in=proposable_services(user))


@login_required
def definitions(request):
    """The register: each indicator with its service, frequency and the periods it is
    collected for; proposals awaiting approval. Three queries whatever the number."""
    team = is_performance_team(request.user)
    require(team or has_role(request.user, Role.SERVICE_MANAGER))
    return render(
        request,
        "indicators/definitions/list.html",
        {"indicators": list(_indicators(request.user)), "proposals": list(_proposals(request.user)), "team": team},
    )


def _rating_preview(form: IndicatorDefinitionForm) -> list[tuple[str, str, str]]:
    """The stored ratings the edited (unsaved) definition would change: (period, before, after)."""
    changes = ratings_changes(indicators=[form.instance])
    labels = {p.pk: p.label for p in Period.objects.filter(pk__in={c.period_id for c in changes})}
    return [
        (labels[c.period_id], c.before, c.after, c.tolerance_before, c.tolerance_after)
        for c in sorted(changes, key=lambda c: labels[c.period_id])
    ]


@login_required
def definition_add(request):
    """The team adds an indicator; a service manager proposes one for their service."""
    team = is_performance_team(request.user)
    allowed = None if team else proposable_services(request.user)
    require(team or allowed.exists())
    form_class = IndicatorDefinitionForm if team else IndicatorProposalForm
    form = form_class(request.POST or None, services_allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            if team:
                indicator = indicator_create(fields=form.definition(), by=request.user)
            else:
                data = form.cleaned_data
                indicator_propose(
                    indicator=None,
                    service=data["service"],
                    title=f"{data['code']} {data['title']}",
                    data=form.proposal_data(),
                    reason=data["reason"],
                    by=request.user,
                )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if team:
                messages.success(
                    request,
                    f"{indicator.code} is added to the register"
                    + (f", collected from {indicator.collected_from}." if indicator.collected_from_id else "."),
                )
                return redirect("indicators:definitions")
            messages.success(request, "Your proposal is sent to the performance team for approval.")
            return redirect("indicators:definitions")
    return render(request, "indicators/definitions/form.html", {"form": form, "indicator": None, "team": team})


@login_required
def definition_edit(request, indicator_id: int):
    """The team edits (or retires) an indicator, a change that alters ratings previewed
    first; a service manager proposes the change for the team to approve."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("service", "collected_from", "retired_after"), pk=indicator_id
    )
    team = is_performance_team(request.user)
    allowed = None if team else proposable_services(request.user)
    require(team or (indicator.service_id is not None and allowed.filter(pk=indicator.service_id).exists()))
    stored = Indicator.objects.get(pk=indicator.pk)
    form_class = IndicatorDefinitionForm if team else IndicatorProposalForm
    form = form_class(request.POST or None, instance=indicator, services_allowed=allowed)
    context = {"form": form, "indicator": stored, "team": team}
    if request.method == "POST" and form.is_valid():
        changes = form.changes(stored)
        if not changes:
            messages.info(request, f"Nothing was changed in {stored.code}.")
            return redirect("indicators:definitions")
        if not team:
            try:
                indicator_propose(
                    indicator=stored,
                    service=stored.service,
                    title=f"{stored.code} {stored.title}",
                    data=form.proposal_data(),
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"Your change to {stored.code} is sent to the performance team for approval.")
                return redirect("indicators:definitions")
            return render(request, "indicators/definitions/form.html", context)
        rated = set(changes) & RATED_FIELDS
        if rated and request.POST.get("confirm") != "yes" and stored.outturns.exists():
            context.update(
                changes=form.described(stored),
                preview=_rating_preview(form),
                hidden=[(k, v) for k, values in request.POST.lists() for v in values if k != "csrfmiddlewaretoken"],
            )
            return render(request, "indicators/definitions/confirm.html", context)
        with form_refusals(form):
            indicator_update(
                indicator=stored, changes=changes, by=request.user, expected_version=form.cleaned_data["version"]
            )
        if not form.errors:
            messages.success(
                request, f"{stored.code} is changed" + ("; its figures are rated again." if rated else ".")
            )
            return redirect("indicators:definitions")
    return render(request, "indicators/definitions/form.html", context)


@login_required
def definition_delete(request, indicator_id: int):
    """The team deletes an indicator made by mistake and never collected, after a page
    saying what it leaves; one with figures or targets is refused, saying to retire it."""
    require(is_performance_team(request.user))
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    if request.method == "POST":
        try:
            indicator_delete(indicator=indicator, by=request.user, expected_version=_version(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("indicators:definition-edit", indicator.pk)
        messages.success(request, f"{indicator.code} {indicator.title} is deleted.")
        return redirect("indicators:definitions")
    return render(
        request,
        "indicators/definitions/delete.html",
        {
            "indicator": indicator,
            "refusal": indicator_delete_refusal(indicator),
            "baskets": list(indicator.priorities.select_related("plan").order_by("plan__title", "title")),
            "scorecards": list(indicator.scorecards.order_by("name")),
        },
    )


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def proposal(request, proposal_id: int):
    """A proposal as the team reviews it: what it changes, the ratings it would change;
    approve (the definition goes live) or decline with a reason."""
    proposal = get_object_or_404(
        IndicatorProposal.objects.select_related("service", "proposed_by", "decided_by", "indicator"), pk=proposal_id
    )
    team = is_performance_team(request.user)
    require(team or proposable_services(request.user).filter(pk=proposal.service_id).exists())
    stored = Indicator.objects.get(pk=proposal.indicator_id) if proposal.indicator_id else Indicator()
    form = IndicatorDefinitionForm(proposal.data, instance=Indicator.objects.get(pk=stored.pk) if stored.pk else None)
    decline = DeclineForm(initial={"version": proposal.version})
    pending = proposal.status == ProposalStatus.PENDING
    valid = pending and form.is_valid()
    if request.method == "POST":
        require(team and pending)
        version = request.POST.get("version") or None
        try:
            if request.POST.get("decision") == "approve":
                if not valid:
                    raise ValidationError("The proposal no longer fits the register: see the problems below.")
                indicator = indicator_proposal_approve(
                    proposal=proposal,
                    fields=form.definition() if not stored.pk else form.changes(stored),
                    by=request.user,
                    expected_version=int(version) if version else None,
                )
                messages.success(request, f"The proposal is approved: {indicator.code} is live in the register.")
                return redirect("indicators:definitions")
            decline = DeclineForm(request.POST)
            if decline.is_valid():
                indicator_proposal_decline(
                    proposal=proposal,
                    note=decline.cleaned_data["decision_note"],
                    by=request.user,
                    expected_version=decline.cleaned_data["version"],
                )
                messages.success(request, f"The proposal for {proposal.title} is declined.")
                return redirect("indicators:definitions")
        except ValidationError as error:
            form_errors(decline, error)
    context = {
        "proposal": proposal,
        "form": form,
        "decline": decline,
        "team": team,
        "pending": pending,
        "valid": valid,
        "changes": form.described(stored) if valid else [],
        "preview": _rating_preview(form) if valid and stored.pk else [],
    }
    return render(request, "indicators/definitions/proposal.html", context)
