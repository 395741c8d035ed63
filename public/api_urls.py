from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("indicators/", api.indicators, name="indicators"),
    path("indicators/<str:code>/", api.indicator, name="indicator"),
    path("figures/", api.figures, name="figures"),
    path("priorities/", api.priorities, name="priorities"),
]
