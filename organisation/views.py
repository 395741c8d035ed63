"""The performance team's pages for the organisation (directorates, services, cabinet
portfolios) and its people (invitations, roles); each calls one service of
organisation.services. A leaver's work is reassigned on reviews' leaver page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmis.history import changes
from pmis.web import form_errors, form_refusals

from . import services
from .forms import DirectorateForm, PeopleFilters, PersonForm, PortfolioForm, ServiceForm
from .models import Directorate, Portfolio, Role, Service
from .permissions import is_performance_team


def _team(request) -> None:
    if not is_performance_team(request.user):
        raise PermissionDenied


def _save(request, form, action, **kwargs) -> bool:
    """Call a service with the form's data; its refusals go on the form. True when saved."""
    with form_refusals(form):
        action(by=request.user, expected_version=form.cleaned_data.pop("version", None), **kwargs, **form.cleaned_data)
    return not form.errors


@login_required
def organisation(request):
    """Directorates with their services, and cabinet portfolios with the services they cover."""
    _team(request)
    directorates = Directorate.objects.select_related("director").prefetch_related(
        Prefetch("services", queryset=Service.objects.select_related("manager").order_by("name"))
    )
    portfolios = Portfolio.objects.select_related("holder").prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name"))
    )
    return render(request, "organisation/organisation.html", {"directorates": directorates, "portfolios": portfolios})


def _edit(request, *, model, form_class, action, record, template_name, noun, initial, fields, keyword):
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid() and _save(request, form, action, **({keyword: record} if record else {})):
            messages.success(
                request, f"The {noun} “{form.cleaned_data['name']}” is {'saved' if record else 'created'}."
            )
            return redirect(reverse("organisation:organisation"))
    else:
        form = form_class(initial={**initial, "version": record.version} if record else {})
    history = (
        changes(record.history.select_related("history_user", *[f for f, _ in fields if f in FOREIGN]), fields)
        if record
        else []
    )
    return render(
        request, template_name, {"form": form, "record": record, "noun": noun, "changes": history, "model": model}
    )


FOREIGN = {"director", "directorate", "manager", "holder", "service"}


@login_required
def directorate_edit(request, pk: int | None = None):
    _team(request)
    record = get_object_or_404(Directorate, pk=pk) if pk else None
    initial = {"name": record.name, "code": record.code, "director": record.director_id} if record else {}
    return _edit(
        request,
        model=Directorate,
        form_class=DirectorateForm,
        action=services.directorate_save,
        record=record,
        template_name="organisation/edit.html",
        noun="directorate",
        initial=initial,
        fields=[("name", "Name"), ("code", "Code"), ("director", "Director")],
        keyword="directorate",
    )


@login_required
def service_edit(request, pk: int | None = None):
    _team(request)
    record = get_object_or_404(Service, pk=pk) if pk else None
    initial = (
        {"name": record.name, "code": record.code, "directorate": record.directorate_id, "manager": record.manager_id}
        if record
        else {"directorate": request.GET.get("directorate", "")}
    )
    return _edit(
        request,
        model=Service,
        form_class=ServiceForm,
        action=services.service_save,
        record=record,
        template_name="organisation/edit.html",
        noun="service",
        initial=initial,
        fields=[("name", "Name"), ("code", "Code"), ("directorate", "Directorate"), ("manager", "Service manager")],
        keyword="service",
    )


def _unit_delete(request, model, pk: int, noun: str):
    """Delete a directorate or service nothing belongs to, after a confirmation page; one
    with services, indicators, people or plans is refused, saying which."""
    _team(request)
    record = get_object_or_404(model, pk=pk)
    edit_page = reverse(f"organisation:{noun}", args=[record.pk])
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            services.unit_delete(record=record, by=request.user, expected_version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(edit_page)
        messages.success(request, f"The {noun} “{record.name}” is deleted.")
        return redirect("organisation:organisation")
    return render(
        request,
        "organisation/delete.html",
        {"record": record, "noun": noun, "refusal": services.unit_delete_refusal(record), "edit_page": edit_page},
    )


@login_required
def directorate_delete(request, pk: int):
    return _unit_delete(request, Directorate, pk, "directorate")


@login_required
def service_delete(request, pk: int):
    return _unit_delete(request, Service, pk, "service")


@login_required
def portfolio_edit(request, pk: int | None = None):
    """A cabinet portfolio: its holder and the services it covers (re-aligning services to
    portfolios), each change in its history with the date."""
    _team(request)
    record = get_object_or_404(Portfolio, pk=pk) if pk else None
    initial = (
        {
            "name": record.name,
            "code": record.code,
            "holder": record.holder_id,
            "services": list(record.services.values_list("pk", flat=True)),
        }
        if record
        else {}
    )
    return _edit(
        request,
        model=Portfolio,
        form_class=PortfolioForm,
        action=services.portfolio_save,
        record=record,
        template_name="organisation/edit.html",
        noun="cabinet portfolio",
        initial=initial,
        fields=[("name", "Name"), ("code", "Code"), ("holder", "Portfolio holder")],
        keyword="portfolio",
    )


# People


# People listed on a page.
PEOPLE_PER_PAGE = 50


@login_required
def people(request):
    """Everyone with an account: their roles, service and whether they can sign in, found
    by name, role, service or account, a page at a time. A fixed number of queries."""
    _team(request)
    filters = PeopleFilters(request.GET or None)
    chosen = filters.chosen()
    everyone = (
        get_user_model().objects.select_related("service").order_by("-is_active", "last_name", "first_name", "username")
    )
    if chosen.get("q"):
        words = chosen["q"]
        everyone = everyone.filter(
            Q(first_name__icontains=words)
            | Q(last_name__icontains=words)
            | Q(email__icontains=words)
            | Q(username__icontains=words)
        )
    if chosen.get("role"):
        everyone = everyone.filter(groups__name=chosen["role"])
    if chosen.get("service"):
        everyone = everyone.filter(service=chosen["service"])
    account = chosen.get("account")
    if account == "active":
        everyone = everyone.filter(is_active=True)
    elif account == "invited":
        everyone = everyone.filter(is_active=True, last_login__isnull=True, password__startswith="!")
    elif account == "off":
        everyone = everyone.filter(is_active=False)
    page = Paginator(everyone.prefetch_related("groups"), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(Role.choices)
    rows = [{"person": p, "roles": [labels[g.name] for g in p.groups.all() if g.name in labels]} for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisation/people.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "filtered": bool(chosen),
            "query": query.urlencode(),
        },
    )


def _person_form_initial(user) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "service": user.service_id,
        "roles": [g.name for g in user.groups.filter(name__in=list(Role))],
        "portfolios": list(user.portfolios.values_list("pk", flat=True)),
        "version": user.version,
    }


@login_required
def person_invite(request):
    """Give someone an account: they are emailed a link to choose their password."""
    _team(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version", None)
        try:
            person = services.person_invite(by=request.user, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                f"{person} is invited: an email with a link to choose a password is on its way to {person.email}.",
            )
            return redirect(reverse("organisation:person", args=[person.pk]))
    return render(request, "organisation/person.html", {"form": form, "person": None})


@login_required
def person_edit(request, pk: int):
    """Someone's details, roles, service and portfolios, with the history of each change."""
    _team(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    if person.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid() and _save(request, form, services.person_update, user=person):
            messages.success(request, f"{person.first_name} {person.last_name}'s details are saved.")
            return redirect(reverse("organisation:person", args=[person.pk]))
    else:
        form = PersonForm(initial=_person_form_initial(person))
    history = changes(
        person.history.select_related("history_user", "service"),
        [
            ("first_name", "First name"),
            ("last_name", "Last name"),
            ("email", "Email"),
            ("job_title", "Job title"),
            ("service", "Service"),
            ("is_active", "Can sign in"),
        ],
    )
    return render(
        request,
        "organisation/person.html",
        {
            "form": form,
            "person": person,
            "changes": history,
            "is_self": person.pk == request.user.pk,
            "invitation_pending": services.invitation_pending(person),
        },
    )


@require_POST
@login_required
def person_invitation_resend(request, pk: int):
    """Send someone invited a new link to choose their password."""
    _team(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    if person.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    try:
        services.person_invitation_resend(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"A new invitation is on its way to {person.email}: the link in it works for "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days.",
        )
    return redirect(reverse("organisation:person", args=[person.pk]))
