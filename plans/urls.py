from django.urls import path

from . import composite_views, delete_views, views, year_views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_add, name="plan-add"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/delete/", delete_views.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/roll-forward/", views.plan_roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/priorities/add/", views.priority_add, name="priority-add"),
    path("plans/<int:pk>/quality-assure/", views.plan_quality_assure, name="plan-quality-assure"),
    path("plans/<int:pk>/send-to-scrutiny/", views.plan_send_to_scrutiny, name="plan-send-to-scrutiny"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan-return"),
    path("plans/<int:pk>/comments/", views.scrutiny_comment, name="scrutiny-comment"),
    path("plans/comments/<int:pk>/answer/", views.scrutiny_answer, name="scrutiny-answer"),
    path("plans/<int:pk>/prt-targets/", views.prt_selection, name="prt-selection"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/basket/", views.priority_basket, name="priority-basket"),
    path("priorities/<int:pk>/milestones/add/", views.milestone_add, name="milestone-add"),
    path("milestones/<int:pk>/update/", views.milestone_update, name="milestone-update"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("services/<int:pk>/objectives/", views.service_objectives, name="service-objectives"),
    # The composite rule of priorities; starting a new financial year.
    path("composite-rule/", composite_views.composite_rule, name="composite-rule"),
    path("start-the-year/", year_views.start_the_year, name="start-the-year"),
    path("start-the-year/periods/", year_views.start_the_year_periods, name="start-the-year-periods"),
    path("start-the-year/indicators/", year_views.start_the_year_indicators, name="start-the-year-indicators"),
]
