"""Registered for a superuser's emergencies only: every routine job has a page of its own."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Risk, RiskCategory, RiskMatrix


class SuperuserOnly(SimpleHistoryAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Risk)
class RiskAdmin(SuperuserOnly):
    list_display = ["title", "directorate", "category", "owner", "residual_score", "status"]
    list_select_related = ["directorate", "category", "owner"]
    raw_id_fields = ["owner", "priorities", "plans", "indicators", "actions"]


admin.site.register(RiskCategory, SuperuserOnly)
admin.site.register(RiskMatrix, SuperuserOnly)
