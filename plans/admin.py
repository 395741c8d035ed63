from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import CompositePolicy, Milestone, Objective, Plan, Priority, ScrutinyComment


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
    autocomplete_fields = ["owner_service", "owner_directorate", "parent", "lead_officer"]
    # The lifecycle moves through plans.services (the plan page's buttons), never by hand.
    readonly_fields = [
        "status",
        "quality_assured_by",
        "quality_assured_at",
        "scrutiny_started_by",
        "scrutiny_started_at",
        "approved_by",
        "approved_at",
        "prt_indicators",
        "prt_selected_by",
        "prt_selected_at",
    ]
    exclude = ["version"]
    inlines = [PriorityInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "owner", "due", "status", "percent_complete"]
    readonly_fields = ["status", "percent_complete"]
    autocomplete_fields = ["owner"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    autocomplete_fields = ["plan", "indicators"]
    inlines = [MilestoneInline]


@admin.register(ScrutinyComment)
class ScrutinyCommentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "made_by", "made_at", "answered_by", "answered_at"]
    list_select_related = ["plan", "made_by", "answered_by"]
    readonly_fields = ["plan", "text", "made_by", "made_at", "answer", "answered_by", "answered_at"]

    def has_add_permission(self, request):
        # Comments and answers are made on the plan page, during scrutiny review.
        return False


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["owner", "indicator", "year", "created_by", "created_at"]
    list_select_related = ["owner", "indicator", "created_by"]
    autocomplete_fields = ["owner", "indicator"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            services.objective_update(objective=obj, by=request.user)
            return
        made = services.objective_create(
            owner=obj.owner, indicator=obj.indicator, text=obj.text, year=obj.year, by=request.user
        )
        obj.pk, obj.created_by, obj.created_at = made.pk, made.created_by, made.created_at


@admin.register(CompositePolicy)
class CompositePolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "green_from", "amber_from", "effective_from", "set_by", "created_at"]
    list_select_related = ["effective_from", "set_by"]
    fields = ["green_from", "amber_from", "reason", "effective_from", "set_by", "created_at"]
    readonly_fields = ["set_by", "created_at"]
    autocomplete_fields = ["effective_from"]

    def has_change_permission(self, request, obj=None):
        # A policy is never edited: the council records a new one, so the old stays on record.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        policy = services.composite_policy_create(
            green_from=obj.green_from,
            amber_from=obj.amber_from,
            reason=obj.reason,
            effective_from=obj.effective_from,
            by=request.user,
        )
        obj.pk, obj.set_by, obj.created_at = policy.pk, policy.set_by, policy.created_at
