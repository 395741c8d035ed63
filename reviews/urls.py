from django.urls import path

from .views import actions, budget, feedback, meetings, scorecards

app_name = "reviews"

urlpatterns = [
    path("scorecards/", scorecards.scorecard_list, name="scorecards"),
    path(
        "scorecards/<str:scope>/<int:pk>/",
        scorecards.scope_scorecard,
        name="scope-scorecard",
    ),
    path("scorecards/<slug:slug>/", scorecards.scorecard_detail, name="scorecard"),
    path("exceptions/", scorecards.exception_report, name="exception-report"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/publish/", meetings.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/pack.pdf", meetings.meeting_pdf, name="meeting-pdf"),
    path("meetings/<int:pk>/pack.xlsx", meetings.meeting_xlsx, name="meeting-xlsx"),
    path("meetings/<int:pk>/report.docx", meetings.meeting_docx, name="meeting-docx"),
    path("meetings/<int:pk>/surgery/", meetings.surgery_record, name="surgery-record"),
    path("meetings/<int:pk>/actions/new/", actions.action_add, name="action-add"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("my-actions/", actions.my_actions, name="my-actions"),
    path("budget/", budget.budget, name="budget"),
    path("complaints-and-compliments/", feedback.feedback, name="feedback"),
]
