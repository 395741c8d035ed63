"""The performance team's pages, the audit trail and bulk entry (team_views.py)."""

from django.urls import path

from . import team_views

urlpatterns = [
    path("validation/", team_views.validation, name="validation"),
    path("outturns/<int:outturn_id>/validate/", team_views.outturn_validate, name="outturn-validate"),
    path("outturns/<int:outturn_id>/return/", team_views.outturn_return, name="outturn-return"),
    path("outturns/<int:outturn_id>/override/", team_views.rating_override, name="rating-override"),
    path("periods/", team_views.period_list, name="periods"),
    path("periods/<int:period_id>/lock/", team_views.period_lock, name="period-lock"),
    path("periods/<int:period_id>/unlock/", team_views.period_unlock, name="period-unlock"),
    path("indicators/<int:indicator_id>/history/", team_views.indicator_history_view, name="indicator-history"),
    path("returns/bulk/<int:service_id>/<int:period_id>/", team_views.bulk_entry, name="bulk-entry"),
]
