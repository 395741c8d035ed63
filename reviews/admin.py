from django.contrib import admin

from .models import GoodNewsStory, Meeting, Scorecard


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "period", "portfolio", "chair"]
    list_filter = ["kind", "portfolio"]
    list_select_related = ["period", "portfolio", "chair"]
    date_hierarchy = "date"
    search_fields = ["title"]
    autocomplete_fields = ["portfolio", "chair"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "is_council_scorecard"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["indicators"]


@admin.register(GoodNewsStory)
class GoodNewsStoryAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "indicator", "priority", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "date"
