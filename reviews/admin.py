from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, BudgetLine, Feedback, GoodNewsStory, Meeting, PackSnapshot, Scorecard


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


@admin.register(GoodNewsStory)
class GoodNewsStoryAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "indicator", "priority", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "date"


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due", "status", "meeting"]
    list_filter = ["status"]
    list_select_related = ["owner", "meeting"]
    search_fields = ["description"]
    raw_id_fields = ["owner", "meeting", "indicator", "milestone", "priority", "raised_by"]
    inlines = [ActionUpdateInline]


@admin.register(PackSnapshot)
class PackSnapshotAdmin(admin.ModelAdmin):
    """Published packs are a record: read only."""

    list_display = ["meeting", "version", "published_at", "published_by"]
    list_select_related = ["meeting", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    """Read only: budget monitoring is entered on its page or imported (services.budget_line_set)."""

    list_display = ["service", "period", "budget", "forecast_outturn", "savings_target", "savings_delivered"]
    list_filter = ["period"]
    list_select_related = ["service", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["kind", "service", "received", "category", "response_due", "response_sent"]
    list_filter = ["kind", "service"]
    list_select_related = ["service"]
