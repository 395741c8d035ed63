"""The indicator page (indicator_views.py). Included by indicators/urls.py, so the names
are in the "indicators" namespace."""

from django.urls import path

from . import indicator_views

urlpatterns = [
    path("indicators/<int:indicator_id>/", indicator_views.indicator_detail, name="indicator-detail"),
]
