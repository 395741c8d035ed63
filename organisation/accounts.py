"""Password reset with links that do not depend on the request."""

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    """The reset email names the council and links by PMIS_BASE_URL, never by the Host the
    request came with (which a proxy or an attacker chooses)."""

    def form_valid(self, form):
        self.extra_email_context = {"base_url": settings.PMIS_BASE_URL, "council": settings.PMIS_COUNCIL_NAME}
        return super().form_valid(form)
