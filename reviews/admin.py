from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "period", "portfolio", "chair"]
    list_filter = ["kind", "portfolio"]
    list_select_related = ["period", "portfolio", "chair"]
    date_hierarchy = "date"
    search_fields = ["title"]
    autocomplete_fields = ["portfolio", "chair"]
