import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from outbox.services import absolute, email_queue
from pmis.locking import check_version, save_as, save_with_m2m

from .models import Directorate, Portfolio, Role, Service, SignInPolicy
from .permissions import has_role, is_performance_team, two_factor_required

AUTHENTICATOR_NAME = "Authenticator app"

# The apps whose records the performance team administers.


def role_groups_ensure() -> dict[str, Group]:
    """Create the role groups if missing.

    A role gives no model permissions: what each role may see and change is decided by
    PMIS's own pages, per object (their service, their portfolio). The Django admin is for
    superusers' emergencies only.
    """
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


# Two-factor sign-in


def sign_in_policy_set(*, require_two_factor: bool, by) -> SignInPolicy:
    """Require two-factor sign-in of everyone with a role, or not (the performance team)."""
    if not is_performance_team(by):
        raise ValidationError("Only the performance team sets the sign-in policy.")
    with transaction.atomic():
        policy = SignInPolicy.objects.select_for_update().first() or SignInPolicy()
        policy.require_two_factor = require_two_factor
        save_as(policy, by)
    return policy


def authenticator_start(*, user) -> TOTPDevice:
    """The user's authenticator waiting to be confirmed with a first code, made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Turn two-factor sign-in on once the user has entered a right code from the device."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def authenticators_remove(*, user) -> None:
    """Turn the user's two-factor sign-in off, unless the council requires it of them."""
    if two_factor_required(user):
        raise ValidationError("The council requires two-factor sign-in, so it cannot be turned off.")
    TOTPDevice.objects.filter(user=user).delete()


# The organisation: directorates, services and cabinet portfolios (the performance team)


def _check_team(by, what: str) -> None:
    if not is_performance_team(by):
        raise ValidationError(f"Only the performance team {what}.")


def _check_code_name(model, record, *, code: str, name: str, errors: dict, name_unique: bool = True) -> None:
    """A code (letters, digits, hyphens) and a name each record of model has to itself."""
    others = model.objects.exclude(pk=record.pk) if record.pk else model.objects.all()
    if not code:
        errors["code"] = "Enter a short code, like adult-social-care."
    elif not SLUG.fullmatch(code):
        errors["code"] = "Use only lower-case letters, digits and hyphens in the code, like adult-social-care."
    elif others.filter(code=code).exists():
        errors["code"] = f"“{code}” is already the code of {others.get(code=code)}: choose another."
    if not name:
        errors["name"] = "Enter the name."
    elif name_unique and others.filter(name__iexact=name).exists():
        errors["name"] = f"There is already a {model._meta.verbose_name} called “{name}”."


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _locked(model, record, expected_version):
    if not record.pk:
        return record
    locked = model.objects.select_for_update().get(pk=record.pk)
    check_version(locked, expected_version)
    return locked


def directorate_save(
    *, directorate: Directorate | None = None, code: str, name: str, director, by, expected_version=None
):
    """Create a directorate, or change one (directorate given), with history."""
    _check_team(by, "sets up directorates")
    code, name = code.strip(), name.strip()
    with transaction.atomic():
        directorate = _locked(Directorate, directorate or Directorate(), expected_version)
        errors = {}
        _check_code_name(Directorate, directorate, code=code, name=name, errors=errors)
        if errors:
            raise ValidationError(errors)
        directorate.code, directorate.name, directorate.director = code, name, director
        save_as(directorate, by)
    return directorate


def service_save(
    *, service: Service | None = None, code: str, name: str, directorate, manager, by, expected_version=None
) -> Service:
    """Create a service, or change one (service given), with history."""
    _check_team(by, "sets up services")
    code, name = code.strip(), name.strip()
    with transaction.atomic():
        service = _locked(Service, service or Service(), expected_version)
        errors = {}
        _check_code_name(Service, service, code=code, name=name, errors=errors, name_unique=False)
        if directorate is None:
            errors["directorate"] = "Choose the directorate the service belongs to."
        elif (
            "name" not in errors
            and Service.objects.filter(directorate=directorate, name__iexact=name).exclude(pk=service.pk).exists()
        ):
            errors["name"] = f"{directorate} already has a service called “{name}”."
        if errors:
            raise ValidationError(errors)
        service.code, service.name, service.directorate, service.manager = code, name, directorate, manager
        save_as(service, by)
    return service


# What keeps a directorate or service from being deleted: (relation, one, several).
HOLDING = {
    Directorate: [("services", "service", "services"), ("plans", "plan", "plans"), ("meetings", "meeting", "meetings")],
    Service: [
        ("indicators", "indicator", "indicators"),
        ("staff", "person working in it", "people working in it"),
        ("plans", "plan", "plans"),
        ("indicator_proposals", "indicator proposal", "indicator proposals"),
        ("meetings", "meeting", "meetings"),
        ("budget_lines", "budget monitoring line", "budget monitoring lines"),
        ("feedback", "piece of feedback", "pieces of feedback"),
    ],
}


def unit_delete_refusal(record) -> str:
    """Why a directorate or service cannot be deleted ("" if it can): only one nothing
    belongs to, set up by mistake or emptied, goes. A query a relation."""
    found = []
    for relation, one, several in HOLDING[type(record)]:
        count = getattr(record, relation).count()
        if count:
            found.append(f"{count} {one if count == 1 else several}")
    if not found:
        return ""
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    noun = "directorate" if isinstance(record, Directorate) else "service"
    return f"{record.name} cannot be deleted: it has {listed}. Move them to another {noun} first."


def unit_delete(*, record, by, expected_version=None) -> None:
    """Delete a directorate or service that nothing belongs to (unit_delete_refusal says
    when not: ValidationError); its history keeps it, with who deleted it."""
    _check_team(by, "deletes directorates and services")
    with transaction.atomic():
        record = _locked(type(record), record, expected_version)
        refusal = unit_delete_refusal(record)
        if refusal:
            raise ValidationError(refusal)
        record._history_user = by
        record.delete()


def portfolio_save(
    *, portfolio: Portfolio | None = None, code: str, name: str, holder, services, by, expected_version=None
) -> Portfolio:
    """Create a cabinet portfolio, or change one: its holder and the services it covers.

    Re-aligning services to portfolios is recorded in the portfolio's history, with the
    date and who made it."""
    _check_team(by, "sets up cabinet portfolios")
    code, name = code.strip(), name.strip()
    if holder is not None and not has_role(holder, Role.PORTFOLIO_HOLDER):
        raise ValidationError({"holder": f"{holder} is not a portfolio holder: give them that role first."})
    chosen = list(services)
    with transaction.atomic():
        portfolio = _locked(Portfolio, portfolio or Portfolio(), expected_version)
        errors = {}
        if holder is not None and holder.pk == by.pk and portfolio.holder_id != by.pk:
            errors["holder"] = "You cannot make yourself a portfolio's holder: ask a colleague in the performance team."
        _check_code_name(Portfolio, portfolio, code=code, name=name, errors=errors)
        if errors:
            raise ValidationError(errors)
        before = set(portfolio.services.values_list("pk", flat=True)) if portfolio.pk else set()
        after = {s.pk for s in chosen}
        portfolio.code, portfolio.name, portfolio.holder = code, name, holder
        if before != after:
            moved = [s.name for s in chosen if s.pk not in before]
            gone = Service.objects.filter(pk__in=before - after).values_list("name", flat=True)
            words = [f"added {', '.join(moved)}"] if moved else []
            words += [f"removed {', '.join(gone)}"] if gone else []
            portfolio._change_reason = ("Services " + "; ".join(words))[:100]
        save_with_m2m(portfolio, by, services=chosen)
    return portfolio


# People: invitations, roles, leavers (the performance team; the performance team role itself
# only by a superuser, and nobody changes their own roles)


def set_password_link(user) -> str:
    """The address where user chooses their password (Django's password reset, by PMIS_BASE_URL)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def _check_people(*, user, by, roles_wanted: set[str], errors: dict) -> None:
    if user.pk and user.is_superuser and not by.is_superuser:
        raise ValidationError("Only a superuser changes a superuser's account.")
    held = set(user.groups.filter(name__in=list(Role)).values_list("name", flat=True)) if user.pk else set()
    if user.pk == by.pk and roles_wanted != held:
        errors["roles"] = "You cannot change your own roles: ask a colleague in the performance team."
    elif (Role.PERFORMANCE_TEAM in roles_wanted) != (Role.PERFORMANCE_TEAM in held) and not by.is_superuser:
        errors["roles"] = "Only a superuser gives or takes away the performance team role (separation of duties)."


def _people_fields(*, email: str, first_name: str, last_name: str, errors: dict, user=None) -> str:
    email = email.strip().lower()
    User = get_user_model()
    others = User.objects.exclude(pk=user.pk) if user and user.pk else User.objects.all()
    if not email or "@" not in email:
        errors["email"] = "Enter an email address, like name@council.gov.uk."
    elif others.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        errors["email"] = f"{email} already has an account: find them in the list of people."
    if not first_name.strip():
        errors["first_name"] = "Enter their first name."
    if not last_name.strip():
        errors["last_name"] = "Enter their last name."
    return email


def _apply_person(user, *, first_name, last_name, job_title, service, roles_wanted, portfolios, by) -> None:
    user.first_name, user.last_name, user.job_title, user.service = (
        first_name.strip(),
        last_name.strip(),
        job_title.strip(),
        service,
    )
    groups = role_groups_ensure()
    kept = list(user.groups.exclude(name__in=list(Role))) if user.pk else []
    held = set(user.groups.filter(name__in=list(Role)).values_list("name", flat=True)) if user.pk else set()
    words = [f"{Role(r).label} given" for r in sorted(roles_wanted - held)]
    words += [f"{Role(r).label} taken away" for r in sorted(held - roles_wanted)]
    if words:
        user._change_reason = ("Roles: " + "; ".join(words))[:100]
    save_with_m2m(user, by, groups=kept + [groups[r] for r in sorted(roles_wanted)])
    chosen = {p.pk for p in portfolios}
    for portfolio in Portfolio.objects.select_for_update().filter(Q(holder=user) | Q(pk__in=chosen)):
        holder = user if portfolio.pk in chosen else None
        if portfolio.holder_id != (holder.pk if holder else None):
            portfolio.holder = holder
            save_as(portfolio, by)


def _check_portfolios(roles_wanted, portfolios, errors, *, user=None, by=None) -> None:
    if (
        user is not None
        and user.pk == by.pk
        and {p.pk for p in portfolios} != set(Portfolio.objects.filter(holder=user).values_list("pk", flat=True))
    ):
        errors["portfolios"] = "You cannot change the portfolios you hold: ask a colleague in the performance team."
    elif portfolios and Role.PORTFOLIO_HOLDER not in roles_wanted:
        errors["portfolios"] = "Only a portfolio holder holds a cabinet portfolio: give them that role, or choose none."


def person_invite(
    *, email: str, first_name: str, last_name: str, job_title: str = "", roles=(), service=None, portfolios=(), by
):
    """Give someone an account and email them a link to choose their password."""
    _check_team(by, "invites people")
    roles_wanted = set(roles)
    User = get_user_model()
    errors = {}
    email = _people_fields(email=email, first_name=first_name, last_name=last_name, errors=errors)
    user = User(username=email, email=email)
    _check_people(user=user, by=by, roles_wanted=roles_wanted, errors=errors)
    _check_portfolios(roles_wanted, portfolios, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_unusable_password()
        _apply_person(
            user,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            service=service,
            roles_wanted=roles_wanted,
            portfolios=portfolios,
            by=by,
        )
        _invitation_email(user, by)
    return user


def _invitation_email(user, by) -> None:
    email_queue(
        to=user.email,
        subject=f"Your account on {settings.PMIS_COUNCIL_NAME}'s performance management system",
        body=(
            f"{by.get_full_name() or by.username} has given you an account on {settings.PMIS_COUNCIL_NAME}'s "
            f"performance management system.\n\nChoose your password here:\n{set_password_link(user)}\n\n"
            f"Your username is {user.username}. The link works for "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days; after that, ask for a new one on the sign-in page."
        ),
    )


def invitation_pending(user) -> bool:
    """Invited and not yet in: an active account that has never signed in or chosen a password."""
    return user.is_active and user.last_login is None and not user.has_usable_password()


def person_invitation_resend(*, user, by) -> None:
    """Email someone invited again a new link to choose their password (the first may have
    expired or gone astray); only while they have not yet signed in."""
    _check_team(by, "resends invitations")
    if not invitation_pending(user):
        why = "is deactivated" if not user.is_active else "has already chosen a password or signed in"
        raise ValidationError(
            f"{user.get_full_name() or user.username} {why}, so there is no invitation to send again. "
            "Someone who has forgotten their password asks for a new one on the sign-in page."
        )
    _invitation_email(user, by)


def person_update(
    *,
    user,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    roles=(),
    service=None,
    portfolios=(),
    by,
    expected_version=None,
):
    """Change someone's details, roles, service and the portfolios they hold."""
    _check_team(by, "changes people's roles")
    roles_wanted = set(roles)
    with transaction.atomic():
        user = _locked(get_user_model(), user, expected_version)
        errors = {}
        email = _people_fields(email=email, first_name=first_name, last_name=last_name, errors=errors, user=user)
        _check_people(user=user, by=by, roles_wanted=roles_wanted, errors=errors)
        _check_portfolios(roles_wanted, portfolios, errors, user=user, by=by)
        if errors:
            raise ValidationError(errors)
        user.email = email
        _apply_person(
            user,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            service=service,
            roles_wanted=roles_wanted,
            portfolios=portfolios,
            by=by,
        )
    return user


def person_deactivate(*, user, by):
    """Stop a leaver signing in; their records and history stay."""
    _check_team(by, "deactivates accounts")
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_superuser and not by.is_superuser:
            raise ValidationError("Only a superuser deactivates a superuser's account.")
        if not user.is_active:
            raise ValidationError(f"{user} is already deactivated.")
        user.is_active = False
        save_as(user, by)
    return user
