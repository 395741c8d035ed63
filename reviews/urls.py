from django.urls import path

from . import meeting_views, views

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

urlpatterns += [
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/publish/", meeting_views.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/pack.pdf", meeting_views.meeting_pdf, name="meeting-pdf"),
    path("meetings/<int:pk>/pack.xlsx", meeting_views.meeting_xlsx, name="meeting-xlsx"),
    path("meetings/<int:pk>/surgery/", meeting_views.surgery_record, name="surgery-record"),
    path("meetings/<int:pk>/actions/new/", meeting_views.action_add, name="action-add"),
    path("actions/<int:pk>/", meeting_views.action_detail, name="action"),
    path("my-actions/", meeting_views.my_actions, name="my-actions"),
    path("budget/", meeting_views.budget, name="budget"),
    path("complaints-and-compliments/", meeting_views.feedback, name="feedback"),
]
