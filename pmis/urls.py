from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.PMIS_COUNCIL_NAME}: Performance Management"
admin.site.site_title = "Performance Management"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("indicators.urls")),
    path("", include("reviews.urls")),
    path("public/", include("public.urls")),
    path("api/v1/", include("public.api_urls")),
]
