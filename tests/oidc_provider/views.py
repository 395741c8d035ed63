from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView


class Authorize(AuthorizationView):
    """django-oauth-toolkit's, answering a silent request (prompt=none) from someone not signed
    in at the provider, or whose account is switched off, with the login_required error as
    OpenID Connect Core 1.0 section 3.1.2.6 says, rather than with the sign-in form."""

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("prompt") == "none" and not request.user.is_authenticated:
            application = Application.objects.filter(client_id=request.GET.get("client_id")).first()
            redirect_uri = request.GET.get("redirect_uri", "")
            if application is None or not application.redirect_uri_allowed(redirect_uri):
                return HttpResponseBadRequest("Unknown client or redirect URI")
            query = urlencode({"error": "login_required", "state": request.GET.get("state", "")})
            return OAuth2ResponseRedirect(f"{redirect_uri}?{query}", application.get_allowed_schemes())
        return super().dispatch(request, *args, **kwargs)
