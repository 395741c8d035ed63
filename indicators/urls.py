from django.urls import include, path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("returns/", views.my_returns, name="my-returns"),
    path("returns/<int:indicator_id>/<int:period_id>/", views.outturn_entry, name="outturn-entry"),
    path("outturns/<int:outturn_id>/submit/", views.outturn_submit, name="outturn-submit"),
    # The indicator page (indicator_views.py); targets and sign-off (target_views.py); the
    # performance team's pages (team_views.py).
    path("", include("indicators.indicator_urls")),
    path("", include("indicators.target_urls")),
    path("", include("indicators.team_urls")),
]
