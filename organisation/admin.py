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
