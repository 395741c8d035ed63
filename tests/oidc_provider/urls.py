from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import Authorize

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("o/authorize/", Authorize.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
