"""The indicator page (indicator_views.py). Included by indicators/urls.py, so the names
are in the "indicators" namespace."""

from django.urls import path

from . import indicator_views, spc_views

urlpatterns = [
    path("indicators/<int:indicator_id>/", indicator_views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:indicator_id>/spc-baseline/", spc_views.spc_baseline, name="spc-baseline"),
    path("indicators/<int:indicator_id>/spc-baseline/reset/", spc_views.spc_baseline_reset, name="spc-baseline-reset"),
    path("method/variation-and-forecasts/", spc_views.method, name="method"),
]
