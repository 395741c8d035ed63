"""Sign-in with a password, and password reset with links that do not depend on the request."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from . import oidc


def password_sign_in_for(username: str) -> bool:
    """Whether this person may sign in with a password: anyone while password sign-in is on;
    once it is off (single sign-on only), the named break-glass account alone."""
    return settings.PMIS_PASSWORD_SIGN_IN or (
        bool(settings.PMIS_BREAK_GLASS_USERNAME) and username == settings.PMIS_BREAK_GLASS_USERNAME
    )


class SignInForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not password_sign_in_for(username):
            raise forms.ValidationError(
                "Sign in with your council account: PMIS passwords are switched off.", code="sso_only"
            )
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.PMIS_PASSWORD_SIGN_IN and not user.is_superuser:
            raise forms.ValidationError(
                "Sign in with your council account: PMIS passwords are switched off.", code="sso_only"
            )


class LoginView(auth_views.LoginView):
    """Sign in with the council's account (when single sign-on is set up) or a PMIS password
    (when allowed)."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            council_sign_in=oidc.enabled(),
            passwords=settings.PMIS_PASSWORD_SIGN_IN,
            **kwargs,
        )


class PasswordResetView(auth_views.PasswordResetView):
    """The reset email names the council and links by PMIS_BASE_URL, never by the Host the
    request came with (which a proxy or an attacker chooses)."""

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.PMIS_BASE_URL, "council": settings.PMIS_COUNCIL_NAME}
        return super().form_valid(form)
