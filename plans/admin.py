from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan, Priority


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    autocomplete_fields = ["indicators"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "first_year", "last_year", "owner_service", "owner_directorate"]
    list_filter = ["kind", "status"]
    list_select_related = ["owner_service", "owner_directorate"]
    search_fields = ["title"]
    autocomplete_fields = ["owner_service", "owner_directorate", "parent"]
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    autocomplete_fields = ["plan", "indicators"]
