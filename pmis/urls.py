from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from organisation import accounts, oidc, two_factor
from pmis.health import health

admin.site.site_header = f"{settings.PMIS_COUNCIL_NAME}: Performance Management"
admin.site.site_title = "Performance Management"
admin.site.index_title = "Administration"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/two-factor/", two_factor.manage, name="two-factor"),
    path("accounts/two-factor/code/", two_factor.verify, name="two-factor-verify"),
    path("accounts/two-factor/set-up/", two_factor.setup, name="two-factor-setup"),
    path("accounts/two-factor/off/", two_factor.turn_off, name="two-factor-off"),
    path("accounts/two-factor/policy/", two_factor.policy, name="two-factor-policy"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", oidc.sign_out, name="logout"),
    path("accounts/council/", include(oidc)),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("indicators.urls")),
    path("", include("reviews.urls")),
    path("", include("imports.urls")),
    path("", include("plans.urls")),
    path("", include("organisation.urls")),
    path("", include("risks.urls")),
    path("public/", include("public.urls")),
    path("api/v1/", include("public.api_urls")),
]
