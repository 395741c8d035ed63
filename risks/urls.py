from django.urls import path

from .views import actions, recommendations, registers, settings

app_name = "risks"

urlpatterns = [
    path("risks/", registers.register_page, name="register"),
    path("risks/new/", registers.risk_add, name="risk-add"),
    path("risks/<int:pk>/", registers.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", registers.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/review/", registers.risk_review, name="risk-review"),
    path("risks/<int:pk>/actions/new/", actions.risk_action_add, name="risk-action-add"),
    path("risks/heat-map/", registers.heat_map, name="heat-map"),
    path("risks/corporate/", registers.corporate, name="corporate"),
    path("risks/corporate.xlsx", registers.corporate_xlsx, name="corporate-xlsx"),
    path("risks/categories/", settings.categories, name="categories"),
    path("risks/categories/<int:pk>/", settings.category_edit, name="category"),
    path("risks/matrix/", settings.matrix_edit, name="matrix"),
    path("recommendations/", recommendations.source_list, name="sources"),
    path("recommendations/sources/new/", recommendations.source_add, name="source-add"),
    path("recommendations/sources/<int:pk>/", recommendations.source_report, name="source"),
    path("recommendations/sources/<int:pk>/edit/", recommendations.source_edit, name="source-edit"),
    path("recommendations/sources/<int:pk>/new/", recommendations.recommendation_add, name="recommendation-add"),
    path("recommendations/<int:pk>/", recommendations.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/edit/", recommendations.recommendation_edit, name="recommendation-edit"),
    path(
        "recommendations/<int:pk>/actions/new/",
        actions.recommendation_action_add,
        name="recommendation-action-add",
    ),
]
