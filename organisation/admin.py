from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Directorate, Portfolio, Service, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "job_title", "service", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active", "service__directorate"]
    list_select_related = ["service"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Organisation", {"fields": ["job_title", "service"]}))
    autocomplete_fields = ["service"]
    search_fields = ["username", "first_name", "last_name", "email"]

    # Only a superuser grants superuser status, individual permissions or roles here, and
    # only a superuser changes a superuser: otherwise a role with the right to manage users
    # could raise itself above its role. The performance team gives roles on PMIS's people
    # pages, which refuse anyone changing their own (organisation.services.person_update).
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "director"]
    list_select_related = ["director"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["director"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "directorate", "manager"]
    list_filter = ["directorate"]
    list_select_related = ["directorate", "manager"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["directorate", "manager"]


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "holder"]
    list_select_related = ["holder"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["holder"]
    filter_horizontal = ["services"]

    # Holders are chosen on PMIS's portfolio page, which refuses making oneself a holder
    # (organisation.services.portfolio_save); here only by a superuser.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "holder"]
