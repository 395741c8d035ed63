"""Two-factor sign-in for staff: a time-based code from an authenticator app (django-otp, TOTP).

Anyone may turn it on for themselves; the performance team can require it of everyone with
a role (SignInPolicy). Once signed in with a password, a person with an authenticator set up
must enter a code before anything else; where it is required and not set up yet, they set it
up first. Wrong codes are throttled by django-otp (each failure doubles the wait).

A sign-in through the council's own accounts (organisation/oidc.py) needs no code here: the
council's provider applies its own multi-factor policy, and asking for a second PMIS code would
only add a device to manage. Once password sign-in is switched off, the one account still
allowed a password (the break-glass superuser) must always enter a code, whatever the policy.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import oidc, services
from .models import SignInPolicy
from .permissions import is_performance_team, roles, two_factor_required


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits your app shows for this account, for example 123456.",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def __init__(self, *args, device: TOTPDevice | None = None, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = [device] if device else list(devices)
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456.")
        for device in self.devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError("Too many wrong codes. Wait a minute, then enter the newest code.")
            if device.verify_token(code):
                self.device = device
                return code
        raise forms.ValidationError("That code is not right. Enter the newest code your app shows.")


class PolicyForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label="Require two-factor sign-in for all staff",
        required=False,
        help_text=SignInPolicy._meta.get_field("require_two_factor").help_text,
    )


def confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def _sign_in_state(user) -> tuple[bool, bool]:
    """Whether the user has an authenticator set up, and whether the council requires one:
    one query, made on every page until the user has entered a code."""
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            Exists(SignInPolicy.objects.filter(require_two_factor=True)),
        )
        .get()
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class TwoFactorMiddleware:
    """Until a signed-in person has entered a code (where they have an authenticator, or must
    have one), only the two-factor pages, signing out and static files are open to them."""

    OPEN = ("two-factor-verify", "two-factor-setup", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: leave the session untouched, so that
        # public answers do not vary by cookie (and stay cacheable).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if (
            not user.is_authenticated
            or user.is_verified()
            or self._open(request.path)
            or oidc.signed_in_with_council_account(request)
        ):
            return self.get_response(request)
        has_device, required = _sign_in_state(user)
        if has_device:
            return redirect(f"{reverse('two-factor-verify')}?next={request.get_full_path()}")
        if (required and roles(user)) or not settings.PMIS_PASSWORD_SIGN_IN:
            return redirect(f"{reverse('two-factor-setup')}?next={request.get_full_path()}")
        return self.get_response(request)

    def _open(self, path: str) -> bool:
        return path.startswith((settings.STATIC_URL, "/health/")) or path in {reverse(name) for name in self.OPEN}


@login_required
def verify(request):
    devices = list(confirmed_devices(request.user))
    if not devices:
        return redirect("two-factor-setup")
    form = CodeForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next(request, reverse("indicators:home")))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request, "")})


@login_required
def setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""
    if confirmed_devices(request.user).exists():
        return redirect("two-factor")
    device = services.authenticator_start(user=request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.authenticator_confirm(device=device)
        otp_login(request, device)
        messages.success(request, "Two-factor sign-in is on. You will need a code from your app each time you sign in.")
        return redirect(_next(request, reverse("two-factor")))
    key = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code to scan with your authenticator app"
    )
    context = {
        "form": form,
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "qr": qr,
        "required": two_factor_required(request.user),
        "next": _next(request, ""),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
def manage(request):
    """Your two-factor sign-in: on or off; and, for the performance team, the policy."""
    policy = SignInPolicy.current()
    context = {
        "enabled": confirmed_devices(request.user).exists(),
        "required": two_factor_required(request.user),
        "policy": policy,
        "council_session": oidc.signed_in_with_council_account(request),
        "council_sign_in": oidc.enabled(),
        "policy_form": PolicyForm(initial={"require_two_factor": policy.require_two_factor})
        if is_performance_team(request.user)
        else None,
    }
    return render(request, "registration/two_factor.html", context)


@require_POST
@login_required
def turn_off(request):
    try:
        services.authenticators_remove(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("two-factor")


@require_POST
@login_required
def policy(request):
    if not is_performance_team(request.user):
        raise PermissionDenied
    form = PolicyForm(request.POST)
    form.is_valid()  # a checkbox: anything sent is a valid choice
    current = services.sign_in_policy_set(require_two_factor=form.cleaned_data["require_two_factor"], by=request.user)
    messages.success(request, f"{current}.")
    return redirect("two-factor")
