from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/returns/", views.returns_import, name="returns"),
    path("imports/framework/", views.framework_import, name="framework"),
    path("imports/benchmarks/", views.benchmarks_import, name="benchmarks"),
    path("imports/budget/", views.budget_import, name="budget"),
    path("imports/risks/", views.risks_import, name="risks"),
    path("imports/recommendations/", views.recommendations_import, name="recommendations"),
    path("imports/formats/", views.formats, name="formats"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
    path("imports/<int:pk>/apply/", views.run_apply, name="run-apply"),
    path("imports/<int:pk>/problems.xlsx", views.run_marked, name="run-marked"),
]
