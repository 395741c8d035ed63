"""Targets: proposing them, quality-assuring them and signing them off (target_views.py).

Included by indicators/urls.py, so the names are in the "indicators" namespace.
"""

from django.urls import path

from . import target_views

urlpatterns = [
    path("targets/", target_views.targets, name="targets"),
    path("targets/<int:indicator_id>/<int:year>/", target_views.target_edit, name="target-edit"),
    path("targets/action/<int:target_id>/propose/", target_views.target_propose, name="target-propose"),
    path(
        "targets/action/<int:target_id>/quality-assure/",
        target_views.target_quality_assure,
        name="target-quality-assure",
    ),
    path("targets/action/<int:target_id>/send-back/", target_views.target_return, name="target-return"),
    path("targets/action/<int:target_id>/sign-off/", target_views.target_sign_off, name="target-sign-off"),
    path("sign-off/", target_views.sign_off, name="sign-off"),
]
