"""Sign-in with the council's own accounts through OpenID Connect (Microsoft Entra ID, Google
Workspace or any standard provider), built on mozilla-django-oidc.

The flow is the authorization code flow with PKCE; the state and nonce are checked on the way
back (mozilla-django-oidc keeps them in the session and forgets each once used, so a replayed
answer is refused). The ID token is checked here beyond what the library checks: signature
from the provider's published keys (JWKS), issuer, audience, expiry and issue time with a small
clock skew. People are matched to PMIS accounts by their email address, only where the
provider says it has verified it. Everything is configured from the environment
(pmis/settings.py, README "Single sign-on"); with no PMIS_OIDC_ISSUER it is all switched off.

Two-factor sign-in (organisation/two_factor.py): a sign-in through the council's provider counts
as strongly authenticated, since the council's provider enforces its own multi-factor policy;
PMIS's authenticator-app codes are for password sign-in only.

Sessions of people signed in through the provider are renewed against it
(OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS, SessionRefresh below): someone disabled at the provider
cannot renew and is signed out.
"""

import logging
from functools import cache
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import middleware as oidc_middleware
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.utils import import_from_settings

from .models import Role
from .permissions import is_performance_team, roles

log = logging.getLogger(__name__)

BACKEND = "organisation.oidc.CouncilAccountBackend"

# mozilla-django-oidc's endpoint settings, and the discovery document's names for them.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "PMIS_OIDC_END_SESSION_ENDPOINT": "end_session_endpoint",
}


UNREACHABLE = "The council's sign-in service cannot be reached just now. Try again in a few minutes."


class Refused(Exception):
    """A sign-in through the council's provider that PMIS refuses, with the reason to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def enabled() -> bool:
    return bool(settings.PMIS_OIDC_ISSUER)


def contact() -> str:
    return settings.PMIS_OIDC_CONTACT


@cache
def _discovery(issuer: str) -> dict:
    """The provider's discovery document, read once per process (the first time it is needed)."""
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(f"The discovery document of {issuer} names another issuer, {document.get('issuer')}")
    return document


def setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint not set in the environment is read from
    the provider's discovery document."""
    if name in ENDPOINTS:
        return getattr(settings, name, "") or _discovery(settings.PMIS_OIDC_ISSUER).get(ENDPOINTS[name], "")
    return import_from_settings(name, *default)


def check_role_groups(app_configs=None, **kwargs):
    """A system check (organisation/apps.py): PMIS_OIDC_ROLE_GROUPS names PMIS's roles."""
    unknown = sorted({role for role, _ in settings.PMIS_OIDC_ROLE_GROUPS} - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"PMIS_OIDC_ROLE_GROUPS names roles PMIS does not have: {', '.join(unknown)}",
            hint=f"Roles: {', '.join(Role.values)}",
            id="organisation.E001",
        )
    ]


def signed_in_with_council_account(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND


class CouncilAccountBackend(oidc_auth.OIDCAuthenticationBackend):
    """Matches the person the provider vouches for to their PMIS account by verified email."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every sign-in and every signed-in request: the provider's
        # endpoints are read only when someone signs in through it.
        self.UserModel = auth.get_user_model()

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        if not enabled() or nonce is None:
            return None  # a password sign-in, or single sign-on is off
        self.OIDC_OP_TOKEN_ENDPOINT = setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = setting("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = setting("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except requests.HTTPError as error:
            log.warning("The provider refused to exchange the sign-in code: %s", error)
            raise Refused(
                "The council's sign-in service did not accept this sign-in: it may have been used already, "
                "or taken too long."
            ) from error
        except requests.RequestException as error:
            log.error("The provider could not be reached: %s", error)
            raise Refused(UNREACHABLE) from error
        except SuspiciousOperation as error:  # the nonce, or no key matching the token's
            log.warning("ID token refused: %s", error)
            raise Refused("PMIS could not verify the answer from the council's sign-in service.") from error

    def _verify_jws(self, payload, key):
        """The signature, issuer, audience, expiry and issue time of the ID token."""
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.PMIS_OIDC_ISSUER,
                leeway=settings.PMIS_OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            log.warning("ID token refused: %s", error)
            raise Refused("The answer from the council's sign-in service had expired.") from error
        except jwt.InvalidAudienceError as error:
            log.warning("ID token refused: %s", error)
            raise Refused("The answer from the council's sign-in service was not meant for PMIS.") from error
        except jwt.InvalidIssuerError as error:
            log.warning("ID token refused: %s", error)
            raise Refused("The answer did not come from the council's sign-in service.") from error
        except jwt.InvalidTokenError as error:
            log.warning("ID token refused: %s", error)
            raise Refused("PMIS could not verify the answer from the council's sign-in service.") from error
        # With several audiences, the token must have been issued to PMIS (its authorised party).
        if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise Refused("The answer from the council's sign-in service was not meant for PMIS.")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        # The claims of the verified ID token: the ones a provider is configured to send
        # (Entra ID's groups and verified-email claims are not in its userinfo answer).
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = (claims.get("email") or "").strip()
        if not email:
            raise Refused(
                "Your council account did not give PMIS an email address. "
                f"Ask {contact()} to check how PMIS is registered."
            )
        if claims.get(settings.PMIS_OIDC_EMAIL_VERIFIED_CLAIM) not in (True, "true", "True"):
            raise Refused(f"Your council account's email address, {email}, is not verified. Ask {contact()}.")
        domain = email.rpartition("@")[2].lower()
        if settings.PMIS_OIDC_EMAIL_DOMAINS and domain not in settings.PMIS_OIDC_EMAIL_DOMAINS:
            raise Refused(f"PMIS does not accept accounts from {domain}. Sign in with your council account.")
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise Refused(f"More than one PMIS account has the email address {email}. Ask {contact()} to fix this.")
        if users:
            user = users[0]
            if not user.is_active:
                raise Refused(f"Your PMIS account ({email}) is switched off. Ask {contact()} if you need it again.")
        elif settings.PMIS_OIDC_UNKNOWN_PEOPLE == "create":
            user = council_account_create(email=email, claims=claims)
        else:
            raise Refused(f"PMIS has no account for {email}. Ask {contact()} to give you access.")
        roles_from_groups(user, claims)
        return user

    def get_user(self, user_id):
        # Django's: nobody switched off in PMIS stays signed in.
        return ModelBackend.get_user(self, user_id)


def council_account_create(*, email: str, claims: dict):
    """A PMIS account with no role for someone the council's provider vouches for, waiting for
    the performance team to give them a role (PMIS_OIDC_UNKNOWN_PEOPLE=create)."""
    User = auth.get_user_model()
    user = User(
        username=email.lower(),
        email=email,
        first_name=(claims.get("given_name") or "")[:150],
        last_name=(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()
    user.save()
    log.info("Account %s created at first sign-in through the council's provider", user.username)
    return user


def roles_from_groups(user, claims: dict) -> None:
    """Give and take the roles PMIS_OIDC_ROLE_GROUPS maps from the provider's groups. Roles not
    in the mapping stay as the performance team set them; without a groups claim (a provider
    that sends none, or Entra ID with too many groups to list) no role changes."""
    mapping = settings.PMIS_OIDC_ROLE_GROUPS
    groups = claims.get(settings.PMIS_OIDC_GROUPS_CLAIM)
    if not mapping or not isinstance(groups, list):
        return
    granted = {role for role, group in mapping if group in groups}
    mapped = {role for role, _ in mapping}
    current = set(user.groups.filter(name__in=mapped).values_list("name", flat=True))
    if granted == current:
        return
    with transaction.atomic():
        by_name = {group.name: group for group in Group.objects.filter(name__in=mapped)}
        missing = [Group(name=name) for name in mapped - by_name.keys()]
        for group in Group.objects.bulk_create(missing):
            by_name[group.name] = group
        user.groups.add(*(by_name[name] for name in granted - current))
        user.groups.remove(*(by_name[name] for name in current - granted))
    log.info("Roles of %s from the provider's groups: %s", user.username, sorted(granted) or "none")
    user.__dict__.pop("_pmis_roles", None)


class Start(oidc_views.OIDCAuthenticationRequestView):
    """Send the person to the council's provider (code flow, PKCE, state and nonce)."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        oidc_views.View.__init__(self, *args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not set up")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException as error:  # its discovery document
            log.error("The provider could not be reached: %s", error)
            return refused(request, UNREACHABLE, status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class Callback(oidc_views.OIDCAuthenticationCallbackView):
    """The provider's answer: signs the person in, or refuses with the reason and no session."""

    get_settings = staticmethod(setting)

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not set up")
        if request.GET.get("error"):
            renewing = request.user.is_authenticated
            super().get(request)  # forgets the state, signs out
            if renewing:
                return refused(request, "Your session has ended. Sign in again with your council account.")
            return refused(request, "The council's sign-in service did not sign you in.")
        state = request.GET.get("state")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return refused(
                request,
                "This sign-in link has been used already, has expired or was started in another browser. Start again.",
            )
        try:
            response = super().get(request)
        except Refused as refusal:
            return refused(request, refusal.message)
        if not request.user.is_authenticated:
            return refused(request, f"Your PMIS account is switched off. Ask {contact()} if you need it again.")
        if not roles(request.user):
            return redirect("sso:no-role")
        return response


def refused(request, reason: str, status: int = 403):
    """The page saying why a sign-in was refused; whoever was signed in is signed out."""
    auth.logout(request)
    context = {"reason": reason, "contact": contact()}
    return render(request, "registration/sign_in_refused.html", context, status=status)


class SessionRefresh(oidc_middleware.SessionRefresh):
    """Renews the session of someone signed in through the provider against it, without a
    prompt, once OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS have passed since they signed in: someone
    disabled at the provider is refused and signed out. Inert for password sign-ins."""

    get_settings = staticmethod(setting)

    def __init__(self, get_response):
        oidc_middleware.MiddlewareMixin.__init__(self, get_response)

    def process_request(self, request):
        if not (enabled() and request.user.is_authenticated and signed_in_with_council_account(request)):
            return None
        for name, default in (
            ("OIDC_EXEMPT_URLS", []),
            ("OIDC_RP_CLIENT_ID", None),
            ("OIDC_STATE_SIZE", 32),
            ("OIDC_AUTHENTICATION_CALLBACK_URL", None),
            ("OIDC_RP_SCOPES", None),
            ("OIDC_USE_NONCE", True),
            ("OIDC_NONCE_SIZE", 32),
        ):
            setattr(self, name, setting(name, default))
        self.OIDC_OP_AUTHORIZATION_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        return super().process_request(request)

    @property
    def exempt_urls(self):
        return {reverse("sso:start"), reverse("sso:callback"), reverse("logout")}

    def is_refreshable_url(self, request):
        return super().is_refreshable_url(request) and not request.path.startswith((settings.STATIC_URL, "/health/"))


@require_POST
def sign_out(request):
    """End the PMIS session and, where the provider offers it (end_session_endpoint), the
    provider's too, which then sends the person back to PMIS's sign-in page."""
    council = enabled() and signed_in_with_council_account(request)
    id_token = request.session.get("oidc_id_token")
    auth.logout(request)
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    end_session = setting("PMIS_OIDC_END_SESSION_ENDPOINT") if council else ""
    if not end_session:
        return HttpResponseRedirect(after)
    query = {"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": request.build_absolute_uri(after)}
    if id_token:
        query["id_token_hint"] = id_token
    return HttpResponseRedirect(f"{end_session}?{urlencode(query)}")


# People waiting for a role: signed in with a council account PMIS did not know
# (PMIS_OIDC_UNKNOWN_PEOPLE=create). The performance team gives them roles, a service and
# portfolios, or deactivates them, on their person page (organisation/views.py).


def waiting_people():
    """Accounts that are on but have no role, first come first: one query."""
    return (
        auth.get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .exclude(groups__name__in=list(Role))
        .order_by("date_joined", "pk")
    )


@login_required
def waiting(request):
    if not is_performance_team(request.user):
        raise PermissionDenied
    return render(request, "registration/waiting.html", {"people": waiting_people()})


@login_required
def no_role(request):
    """Where someone signed in with no role lands: who to ask for one."""
    if roles(request.user):
        return redirect("indicators:home")
    return render(request, "registration/no_role.html", {"contact": contact()})


app_name = "sso"
urlpatterns = [
    path("", Start.as_view(), name="start"),
    path("callback/", Callback.as_view(), name="callback"),
    path("no-role/", no_role, name="no-role"),
    path("waiting/", waiting, name="waiting"),
]
