from django.urls import path

from .views import actions, budget, feedback, meetings, scorecards, scrutiny

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
    path("meetings/<int:pk>/change/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/summary/", meetings.meeting_summary, name="meeting-summary"),
    path("meetings/<int:pk>/publish/", meetings.meeting_publish, name="meeting-publish"),
    path("meetings/<int:pk>/reissue/", meetings.meeting_reissue, name="meeting-reissue"),
    path("meetings/<int:pk>/pack.pdf", meetings.meeting_pdf, name="meeting-pdf"),
    path("meetings/<int:pk>/pack.xlsx", meetings.meeting_xlsx, name="meeting-xlsx"),
    path("meetings/<int:pk>/surgery/", meetings.surgery_record, name="surgery-record"),
    path("meetings/<int:pk>/actions/new/", actions.action_add, name="action-add"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("indicators/<int:indicator_id>/action-plan/", actions.action_plan_add, name="action-plan-add"),
    path("my-actions/", actions.my_actions, name="my-actions"),
    path("watch-list/", scrutiny.watch_list, name="watch-list"),
    path("indicators/<int:indicator_id>/refer/", scrutiny.referral_add, name="referral-add"),
    path("referrals/", scrutiny.referrals, name="referrals"),
    path("referrals/<int:pk>/", scrutiny.referral_answer, name="referral-answer"),
    path("scrutiny-boards/", scrutiny.boards, name="scrutiny-boards"),
    path("budget/", budget.budget, name="budget"),
    path("complaints-and-compliments/", feedback.feedback, name="feedback"),
]
