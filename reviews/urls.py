from django.urls import path

from .views import actions, budget, feedback, good_news, leavers, meetings, scorecard_setup, scorecards, scrutiny

app_name = "reviews"

urlpatterns = [
    path("scorecards/", scorecards.scorecard_list, name="scorecards"),
    path(
        "scorecards/<str:scope>/<int:pk>/",
        scorecards.scope_scorecard,
        name="scope-scorecard",
    ),
    path("scorecards/new/", scorecard_setup.scorecard_edit, name="scorecard-add"),
    path("scorecards/<slug:slug>/", scorecards.scorecard_detail, name="scorecard"),
    path("scorecards/<slug:slug>/settings/", scorecard_setup.scorecard_edit, name="scorecard-edit"),
    path("scorecards/<slug:slug>/measures/", scorecard_setup.scorecard_measures, name="scorecard-measures"),
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
    path("meetings/<int:pk>/report.docx", meetings.meeting_docx, name="meeting-docx"),
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
    path("people/<int:pk>/leaver/", leavers.leaver, name="leaver"),
    path("people/<int:pk>/leaver/deactivate/", leavers.leaver_deactivate, name="leaver-deactivate"),
    path("good-news/", good_news.story_list, name="good-news"),
    path("good-news/new/", good_news.story_edit, name="good-news-add"),
    path("good-news/<int:pk>/", good_news.story_edit, name="good-news-story"),
    path("good-news/<int:pk>/publish/", good_news.story_publish, name="good-news-publish"),
    path("good-news/<int:pk>/withdraw/", good_news.story_withdraw, name="good-news-withdraw"),
    path("complaints-and-compliments/", feedback.feedback, name="feedback"),
]
