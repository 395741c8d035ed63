from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path(
        "scorecards/<str:scope>/<int:pk>/",
        views.scope_scorecard,
        name="scope-scorecard",
    ),
    path("scorecards/<slug:slug>/", views.scorecard_detail, name="scorecard"),
    path("exceptions/", views.exception_report, name="exception-report"),
]
