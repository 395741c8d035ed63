from django.urls import path

from .views import registers, settings

app_name = "risks"

urlpatterns = [
    path("risks/", registers.register_page, name="register"),
    path("risks/new/", registers.risk_add, name="risk-add"),
    path("risks/<int:pk>/", registers.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", registers.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/review/", registers.risk_review, name="risk-review"),
    path("risks/categories/", settings.categories, name="categories"),
    path("risks/categories/<int:pk>/", settings.category_edit, name="category"),
    path("risks/matrix/", settings.matrix_edit, name="matrix"),
]
